import type { TestProject } from 'vitest/node';
import { ensureBuilt, startPreview } from '../support/preview.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

// The e2e tests run against the production build, served as a user would get it.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureBuilt();
  const server = await startPreview();
  project.provide('baseUrl', server.url);
  return server.stop;
}
