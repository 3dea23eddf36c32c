export * from './categories';
export * from './templates';
export * from './default-templates';
export * from './dossier-status';
export * from './channels';
export * from './token-bucket';
export * from './letter';
export * from './content';
