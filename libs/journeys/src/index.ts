export * from './projection';
export * from './start-answer';
export * from './launcher';
