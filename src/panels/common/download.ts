/**
 * How long a download's object URL outlives the click. Revoking it at once can cancel the download where the browser
 * reads the blob after the click returns (Safari, older Firefox); ten seconds is ample, and the blob is freed after.
 */
export const REVOKE_URL_AFTER_MS = 10_000;

/**
 * Saves `text` as a file called `fileName`: a Blob behind an object URL, opened by a temporary `<a download>` that
 * is removed at once; the URL is revoked once the browser has had time to read it.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.hidden = true;
  document.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_URL_AFTER_MS);
  }
}

/** What the status line says after a download: the file's name, or why it could not be made. */
export function downloadStatus(fileName: string, save: () => void): string {
  try {
    save();
    return `Downloaded ${fileName}.`;
  } catch (error) {
    return `Could not download ${fileName}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
