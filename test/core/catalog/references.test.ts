import { describe, expect, it } from 'vitest';
import { FIELDS, GPU_PRESETS, MODEL_PRESETS, PAPER_CHECKS } from '../../../src/core';
import { linkSources } from '../../../src/core/catalog/references';

const joined = (text: string) =>
  linkSources(text)
    .map((segment) => segment.text)
    .join('');

describe('linkSources', () => {
  it('links a cited paper by its name and does not link its arXiv number again', () => {
    expect(linkSources('Capacity-Aware Inference (He et al., arXiv 2503.05066) §4 and §5.2')).toEqual([
      { text: 'Capacity-Aware Inference', href: 'https://arxiv.org/abs/2503.05066' },
      { text: ' (He et al., arXiv 2503.05066) §4 and §5.2' },
    ]);
  });

  it('links a bare arXiv number, every work named, and leaves the rest as text', () => {
    expect(linkSources('ST-MoE (Zoph et al. 2022) Eq. 5; MoE survey (Cai et al., TKDE 2025) §4.1')).toEqual([
      { text: 'ST-MoE', href: 'https://arxiv.org/abs/2202.08906' },
      { text: ' (Zoph et al. 2022) Eq. 5; ' },
      { text: 'MoE survey', href: 'https://arxiv.org/abs/2407.06204' },
      { text: ' (Cai et al., TKDE 2025) §4.1' },
    ]);
    expect(linkSources('DeepSeek-AI, "DeepSeek-V3 Technical Report", arXiv 2412.19437, abstract')[1]).toEqual(
      {
        text: 'arXiv 2412.19437',
        href: 'https://arxiv.org/abs/2412.19437',
      },
    );
    expect(linkSources('Zipf’s law over expert rank')).toEqual([{ text: 'Zipf’s law over expert rank' }]);
  });

  it('links Hugging Face configs and model cards', () => {
    expect(linkSources('deepseek-ai/DeepSeek-V3 config.json (n_routed_experts 256)')[0]).toEqual({
      text: 'deepseek-ai/DeepSeek-V3 config.json',
      href: 'https://huggingface.co/deepseek-ai/DeepSeek-V3/blob/main/config.json',
    });
    expect(linkSources('Qwen/Qwen3-30B-A3B model card (30.5B total)')[0]).toEqual({
      text: 'Qwen/Qwen3-30B-A3B model card',
      href: 'https://huggingface.co/Qwen/Qwen3-30B-A3B',
    });
  });

  it('keeps every source’s text exactly, and every paper the app implements gets a link', () => {
    const sources = [
      ...FIELDS.flatMap((field) => (field.source ? [field.source] : [])),
      ...MODEL_PRESETS.map((preset) => preset.source),
      ...GPU_PRESETS.map((preset) => preset.source),
      ...PAPER_CHECKS.map((check) => check.source),
    ];
    for (const source of sources) {
      expect(joined(source)).toBe(source);
      for (const paper of ['MoC-System', 'Capacity-Aware Inference', 'MoE survey', 'ScMoE', 'ReaLB']) {
        if (source.includes(paper))
          expect(
            linkSources(source).some((segment) => segment.href !== undefined),
            `${paper} in "${source}"`,
          ).toBe(true);
      }
    }
  });
});
