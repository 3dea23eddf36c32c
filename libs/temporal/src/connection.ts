import { Client, Connection, type ClientInterceptors, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { toClientOptions } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalConfig } from '@levensloop/config';
import { AesGcmPayloadCodec } from './codec';

/**
 * The one place Temporal connections, clients and data converters are made: every client and
 * worker (gateway, worker, cli, tests, benchmarks) connects with the configured address,
 * namespace, TLS and API key, and sends and reads payloads through the encrypting codec.
 */

/** What a caller adds to a client: interceptors and plugins (tracing, for one). */
export interface ClientExtras {
  interceptors?: ClientInterceptors;
  plugins?: NonNullable<ConstructorParameters<typeof Client>[0]>['plugins'];
}

/** The codecs of a configuration, one per process would do; codecs are cheap and stateless. */
export function payloadCodec(config: Pick<TemporalConfig, 'codecKeys'>): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(config.codecKeys);
}

/** The failure converter's module (failures' messages encoded); the workflow bundle is built with it too. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter of every client and worker: the default payload converter, failures' messages encoded, then the codec. */
export function dataConverter(config: Pick<TemporalConfig, 'codecKeys'>): DataConverter {
  return { payloadCodecs: [payloadCodec(config)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The connection options (address, TLS or mTLS, API key, gRPC metadata) from the envconfig profile. */
export function nativeConnectionOptions(config: Pick<TemporalConfig, 'profile'>): NativeConnectionOptions {
  const { connectionOptions } = toClientOptions(config.profile);
  // undefined entries would override the SDK's defaults
  return Object.fromEntries(Object.entries(connectionOptions).filter(([, v]) => v !== undefined)) as NativeConnectionOptions;
}

export function connectionOptions(config: Pick<TemporalConfig, 'profile'>, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return { ...(nativeConnectionOptions(config) as ConnectionOptions), ...extra };
}

/** A client whose connection opens on first use (a process starts while Temporal is down). */
export function lazyClient(config: TemporalConfig, extras: ClientExtras = {}): Client {
  return new Client({ connection: Connection.lazy(connectionOptions(config)), namespace: config.namespace, dataConverter: dataConverter(config), ...extras });
}

/** A connected client; close it with `client.connection.close()`. */
export async function connectClient(config: TemporalConfig, extras: ClientExtras & { connectTimeout?: number } = {}): Promise<Client> {
  const { connectTimeout, ...rest } = extras;
  const connection = await Connection.connect(connectionOptions(config, connectTimeout ? { connectTimeout } : {}));
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverter(config), ...rest });
}

/** A bare connection (operator and workflow services, no payloads). */
export function connectOperator(config: Pick<TemporalConfig, 'profile'>, extra: Partial<ConnectionOptions> = {}): Promise<Connection> {
  return Connection.connect(connectionOptions(config, extra));
}
