/**
 * Where the works the app cites can be read, so that every "Source:" can be followed. Names are matched as the
 * sources write them; identifiers are from each work's arXiv, GitHub or Hugging Face page.
 */
interface Reference {
  /** How sources cite the work, longest first where one contains another. */
  names: readonly string[];
  url: string;
}

const ARXIV = 'https://arxiv.org/abs/';

export const REFERENCES: readonly Reference[] = [
  { names: ['MoC-System'], url: `${ARXIV}2408.04307` },
  { names: ['Capacity-Aware Inference'], url: `${ARXIV}2503.05066` },
  { names: ['MoE survey'], url: `${ARXIV}2407.06204` },
  { names: ['ScMoE'], url: `${ARXIV}2404.05019` },
  { names: ['ReaLB'], url: `${ARXIV}2604.19503` },
  { names: ['DualSparse-MoE'], url: `${ARXIV}2508.18376` },
  { names: ['MoEtion'], url: `${ARXIV}2412.15411` },
  { names: ['ST-MoE'], url: `${ARXIV}2202.08906` },
  { names: ['Switch Transformers', 'Switch Transformer'], url: `${ARXIV}2101.03961` },
  { names: ['Shazeer et al. 2017'], url: `${ARXIV}1701.06538` },
  { names: ['Kaplan et al.'], url: `${ARXIV}2001.08361` },
  { names: ['Ainslie et al. 2023'], url: `${ARXIV}2305.13245` },
  { names: ['Rajbhandari et al. 2020'], url: `${ARXIV}1910.02054` },
  { names: ['DeepSeek EPLB'], url: 'https://github.com/deepseek-ai/EPLB' },
];

/** A piece of a source's text, with where to read it when it names a work. */
export interface SourceSegment {
  text: string;
  href?: string;
}

interface Match {
  start: number;
  end: number;
  href: string;
}

/** "arXiv 2503.05066" or "arXiv:2503.05066". */
const ARXIV_ID = /arXiv[ :](\d{4}\.\d{4,5})/g;
/** A Hugging Face repository's "owner/Name config.json" or "owner/Name model card". */
const HUGGING_FACE = /\b([A-Za-z0-9][\w-]*\/[\w.-]*[\w-]) (config\.json|model card)/g;

function findMatches(text: string): Match[] {
  const matches: Match[] = [];
  for (const reference of REFERENCES) {
    for (const name of reference.names) {
      const start = text.indexOf(name);
      if (start >= 0) matches.push({ start, end: start + name.length, href: reference.url });
    }
  }
  for (const found of text.matchAll(ARXIV_ID))
    matches.push({ start: found.index, end: found.index + found[0].length, href: `${ARXIV}${found[1]}` });
  for (const found of text.matchAll(HUGGING_FACE)) {
    const repository = found[1] ?? '';
    const href =
      found[2] === 'config.json'
        ? `https://huggingface.co/${repository}/blob/main/config.json`
        : `https://huggingface.co/${repository}`;
    matches.push({ start: found.index, end: found.index + found[0].length, href });
  }
  return matches;
}

/**
 * Splits a source into plain text and links: a work named in REFERENCES, an arXiv identifier, a Hugging Face
 * config or model card. Each address is linked once, at its first (longest) mention; the text is unchanged.
 */
export function linkSources(text: string): SourceSegment[] {
  const matches = findMatches(text).sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: SourceSegment[] = [];
  const linked = new Set<string>();
  let cursor = 0;
  for (const match of matches) {
    if (match.start < cursor || linked.has(match.href)) continue;
    if (match.start > cursor) segments.push({ text: text.slice(cursor, match.start) });
    segments.push({ text: text.slice(match.start, match.end), href: match.href });
    linked.add(match.href);
    cursor = match.end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor) });
  return segments;
}
