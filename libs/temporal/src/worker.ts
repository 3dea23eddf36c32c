import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '@levensloop/config';
import { dataConverter, nativeConnectionOptions } from './connection';

/**
 * The worker side of libs/temporal, apart so that clients (the gateway) do not load the worker's
 * native core.
 */

/** The worker's connection; pass `dataConverter(config)` (and interceptors, plugins) to Worker.create. */
export function connectWorker(config: Pick<TemporalConfig, 'profile'>): Promise<NativeConnection> {
  return NativeConnection.connect(nativeConnectionOptions(config));
}

/**
 * What every Worker.create starts from: the connection, the namespace and the data converter;
 * the caller adds the task queue, workflows, activities, interceptors and plugins.
 */
export async function workerBase(config: TemporalConfig): Promise<{ connection: NativeConnection; namespace: string; dataConverter: DataConverter }> {
  return { connection: await connectWorker(config), namespace: config.namespace, dataConverter: dataConverter(config) };
}
