import { linkSources } from '../../core';

/** A source citation with the works it names as links (opening in a new tab, so the lab stays as it was). */
export function SourceText({ source }: { source: string }) {
  return (
    <>
      {linkSources(source).map((segment, index) =>
        segment.href ? (
          <a key={index} href={segment.href} target="_blank" rel="noreferrer">
            {segment.text}
          </a>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}
