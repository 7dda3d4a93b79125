import type { GpuPreset, LinkPreset } from './hardwareTypes';

// Peak throughputs are DENSE tensor-core figures (NVIDIA datasheets print "with sparsity" figures at twice these).
// Link bandwidths are per GPU and per direction; NVIDIA's NVLink figures are bidirectional totals, halved here.
export const GPU_PRESETS: readonly GpuPreset[] = [
  {
    id: 'a30',
    name: 'NVIDIA A30 (PCIe, 24 GB)',
    spec: { bf16Tflops: 165, fp8Tflops: 0, fp4Tflops: 0, memBandwidthGBps: 933, memGB: 24 },
    defaultIntraLink: 'pcie4',
    source: 'NVIDIA A30 Tensor Core GPU datasheet: BF16 165 TFLOPS dense (330 sparse), HBM2 933 GB/s, 24 GB',
  },
  {
    id: 'a100',
    name: 'NVIDIA A100 SXM4 80 GB',
    spec: { bf16Tflops: 312, fp8Tflops: 0, fp4Tflops: 0, memBandwidthGBps: 2039, memGB: 80 },
    defaultIntraLink: 'nvlink3',
    source: 'NVIDIA A100 datasheet: BF16 312 TFLOPS dense, HBM2e 2,039 GB/s, 80 GB, NVLink 600 GB/s',
  },
  {
    id: 'a800',
    name: 'NVIDIA A800 SXM4 80 GB',
    spec: { bf16Tflops: 312, fp8Tflops: 0, fp4Tflops: 0, memBandwidthGBps: 2039, memGB: 80 },
    defaultIntraLink: 'nvlink3-a800',
    source:
      'NVIDIA A800 datasheet: as A100 SXM4 80 GB (BF16 312 TFLOPS, 2,039 GB/s) with NVLink limited to 400 GB/s; MoC-System §6.2.4 uses 312 TFLOPS',
  },
  {
    id: 'h20',
    name: 'NVIDIA H20 96 GB',
    spec: { bf16Tflops: 148, fp8Tflops: 296, fp4Tflops: 0, memBandwidthGBps: 4000, memGB: 96 },
    defaultIntraLink: 'nvlink4',
    source:
      'NVIDIA H20 product brief: BF16 148 TFLOPS, FP8 296 TFLOPS dense, HBM3 4.0 TB/s, 96 GB, NVLink 900 GB/s',
  },
  {
    id: 'h100',
    name: 'NVIDIA H100 SXM5 80 GB',
    spec: { bf16Tflops: 989, fp8Tflops: 1979, fp4Tflops: 0, memBandwidthGBps: 3350, memGB: 80 },
    defaultIntraLink: 'nvlink4',
    source:
      'NVIDIA H100 datasheet (SXM): BF16 989 TFLOPS, FP8 1,979 TFLOPS dense, HBM3 3.35 TB/s, 80 GB, NVLink 900 GB/s',
  },
  {
    id: 'h800',
    name: 'NVIDIA H800 SXM5 80 GB',
    spec: { bf16Tflops: 989, fp8Tflops: 1979, fp4Tflops: 0, memBandwidthGBps: 3350, memGB: 80 },
    defaultIntraLink: 'nvlink4-h800',
    source:
      'NVIDIA H800 datasheet: as H100 SXM with NVLink limited to 400 GB/s; DeepSeek-V3 report §3.1 (NVLink 160 GB/s achievable)',
  },
  {
    id: 'h200',
    name: 'NVIDIA H200 SXM 141 GB',
    spec: { bf16Tflops: 989, fp8Tflops: 1979, fp4Tflops: 0, memBandwidthGBps: 4800, memGB: 141 },
    defaultIntraLink: 'nvlink4',
    source: 'NVIDIA H200 datasheet (SXM): BF16 989 TFLOPS, FP8 1,979 TFLOPS dense, HBM3e 4.8 TB/s, 141 GB',
  },
  {
    id: 'b200',
    name: 'NVIDIA B200 180 GB',
    spec: { bf16Tflops: 2250, fp8Tflops: 4500, fp4Tflops: 9000, memBandwidthGBps: 8000, memGB: 180 },
    defaultIntraLink: 'nvlink5',
    source:
      'NVIDIA HGX B200 datasheet, per GPU (÷8): BF16 2.25, FP8 4.5, FP4 9 PFLOPS dense; HBM3e 8 TB/s, 180 GB; NVLink 1.8 TB/s',
  },
  {
    id: 'rtx5090',
    name: 'NVIDIA GeForce RTX 5090 32 GB',
    spec: { bf16Tflops: 209.5, fp8Tflops: 419, fp4Tflops: 1676, memBandwidthGBps: 1792, memGB: 32 },
    defaultIntraLink: 'pcie5',
    source:
      'NVIDIA RTX Blackwell architecture whitepaper, GeForce RTX 5090 (dense, FP32 accumulate): BF16 209.5, FP8 419, FP4 1,676 TFLOPS; GDDR7 1,792 GB/s, 32 GB; ReaLB uses 8× RTX 5090',
  },
];

export const LINK_PRESETS: readonly LinkPreset[] = [
  {
    id: 'pcie4',
    name: 'PCIe 4.0 ×16',
    bandwidthGBps: 32,
    scope: 'intra-node',
    source: 'PCI-SIG PCIe 4.0: 16 GT/s × 16 lanes, 128b/130b ≈ 31.5 GB/s per direction',
  },
  {
    id: 'pcie5',
    name: 'PCIe 5.0 ×16',
    bandwidthGBps: 64,
    scope: 'intra-node',
    source: 'PCI-SIG PCIe 5.0: 32 GT/s × 16 lanes ≈ 63 GB/s per direction',
  },
  {
    id: 'nvlink3',
    name: 'NVLink 3 (A100, 600 GB/s)',
    bandwidthGBps: 300,
    scope: 'intra-node',
    source: 'NVIDIA A100 datasheet: NVLink 600 GB/s bidirectional',
  },
  {
    id: 'nvlink3-a800',
    name: 'NVLink 3 (A800, 400 GB/s)',
    bandwidthGBps: 200,
    scope: 'intra-node',
    source: 'NVIDIA A800 datasheet: NVLink 400 GB/s bidirectional',
  },
  {
    id: 'nvlink4',
    name: 'NVLink 4 (H100/H200/H20, 900 GB/s)',
    bandwidthGBps: 450,
    scope: 'intra-node',
    source: 'NVIDIA H100 datasheet: NVLink 900 GB/s bidirectional',
  },
  {
    id: 'nvlink4-h800',
    name: 'NVLink 4 (H800, 400 GB/s)',
    bandwidthGBps: 200,
    scope: 'intra-node',
    source: 'NVIDIA H800 datasheet: NVLink 400 GB/s bidirectional',
  },
  {
    id: 'nvlink5',
    name: 'NVLink 5 (B200, 1.8 TB/s)',
    bandwidthGBps: 900,
    scope: 'intra-node',
    source: 'NVIDIA HGX B200 datasheet: NVLink 1.8 TB/s bidirectional per GPU',
  },
  {
    id: 'eth-25g',
    name: 'Ethernet 25 GbE per GPU',
    bandwidthGBps: 3.125,
    scope: 'inter-node',
    // Every link here is per GPU, as the iteration model prices it; a node whose GPUs share one 25 GbE port would
    // give each of them this divided by the GPUs per node.
    source: 'IEEE 802.3by 25GBASE: 25 Gb/s = 3.125 GB/s',
  },
  {
    id: 'roce-100g',
    name: 'RoCE 100 GbE per GPU',
    bandwidthGBps: 12.5,
    scope: 'inter-node',
    source: 'IEEE 802.3 100GBASE: 100 Gb/s = 12.5 GB/s',
  },
  {
    id: 'ib-hdr',
    name: 'InfiniBand HDR 200 Gb/s per GPU',
    bandwidthGBps: 25,
    scope: 'inter-node',
    source: 'NVIDIA ConnectX-6 HDR: 200 Gb/s = 25 GB/s',
  },
  {
    id: 'ib-ndr',
    name: 'InfiniBand NDR 400 Gb/s per GPU',
    bandwidthGBps: 50,
    scope: 'inter-node',
    source: 'NVIDIA ConnectX-7 NDR: 400 Gb/s = 50 GB/s; DeepSeek-V3 report §3.1 (IB 50 GB/s)',
  },
];

export const DEFAULT_GPU_ID = 'h100';

export function findGpuPreset(id: string): GpuPreset | undefined {
  return GPU_PRESETS.find((preset) => preset.id === id);
}

export function findLinkPreset(id: string): LinkPreset | undefined {
  return LINK_PRESETS.find((preset) => preset.id === id);
}
