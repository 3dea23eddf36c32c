import { randomUUID } from 'node:crypto';

/** A CloudEvents 1.0 event in structured JSON mode, as the registers publish them. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  /** The key of the authentic source, e.g. `national-register`. */
  source: string;
  /** e.g. `be.national-register.birth.registered`. */
  type: string;
  /** The record the event is about: a national or enterprise number. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

export function cloudEvent<T>(source: string, kind: string, subject: string, data: T): CloudEvent<T> {
  return { specversion: '1.0', id: randomUUID(), source, type: `be.${source}.${kind}`, subject, time: new Date().toISOString(), datacontenttype: 'application/json', data };
}
