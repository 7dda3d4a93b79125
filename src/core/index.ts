// The core's public surface: the state, panels and command line import from here.
export * from './catalog/models';
export * from './catalog/hardware';
export type * from './catalog/modelTypes';
export * from './catalog/hardwareTypes';
export * from './random';
export * from './metric';
export * from './model/params';
export * from './scenario/types';
export * from './scenario/defaults';
export * from './scenario/fields';
export * from './scenario/fieldAccess';
export * from './scenario/resolve';
export * from './scenario/validate';
export * from './scenario/shareLink';
export * from './metrics/summary';
export * from './checks/types';
export * from './checks/registry';
