import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures' messages and stack traces go into an encoded payload (so through the codec) instead
 * of the clear fields of the history: an agency's refusal or a register's error may quote what
 * was sent. Loaded by path (`failureConverterPath`) in the workflow bundle and in every client and
 * worker: plain @temporalio/common only, as workflow code.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
