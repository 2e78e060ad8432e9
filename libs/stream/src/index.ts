export * from './errors';
export * from './outcome';
export * from './step';
export * from './pipeline';
