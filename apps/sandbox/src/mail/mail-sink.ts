import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from 'pino';

/** One message as the sink received it; `to` is the envelope (RCPT TO), so Bcc recipients show too. */
export interface StoredMail {
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** Header names in lower case, values unfolded; a repeated header keeps its values joined by ", ". */
  headers: Record<string, string>;
  /** The iCalendar parts (text/calendar, e.g. an appointment's invitation): the method of their Content-Type and the text. */
  calendars?: Array<{ contentType: string; method: string | null; content: string }>;
  receivedAt: string;
}

export interface MailFilter {
  /** A recipient address, case-insensitive. */
  to?: string;
  /** Part of the subject, case-insensitive. */
  subject?: string;
}

export interface MailSinkOptions {
  logger: Logger;
  /** Messages kept before the oldest are dropped; default 10000. */
  maxMessages?: number;
  /** Told of every message stored (the bounce reports of designated test addresses). */
  onStored?: (mail: StoredMail) => void;
}

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const firstAddress = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.value[0]?.address?.toLowerCase() ?? null;

/**
 * An SMTP server that keeps what it receives, for tests and demos. Plain SMTP without AUTH or
 * STARTTLS: it listens on 127.0.0.1 only and must never face a network.
 */
export class MailSink {
  private readonly messages: StoredMail[] = [];
  private readonly seenIds = new Set<string>();
  private duplicateCount = 0;
  private server: SMTPServer | undefined;
  private host = '127.0.0.1';
  private boundPort: number | undefined;
  private isDown = false;
  /** Down, up and close run one after the other, so racing control calls leave one clear state. */
  private switching: Promise<unknown> = Promise.resolve();
  private readonly maxMessages: number;

  constructor(private readonly options: MailSinkOptions) {
    this.maxMessages = options.maxMessages ?? 10_000;
  }

  /** The port the SMTP server listens on (also while down: it comes back on the same one). */
  get port(): number | undefined {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  get down(): boolean {
    return this.isDown;
  }

  /** Starts listening; port 0 picks a free port, which later restarts keep. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.host = host;
    this.boundPort = await this.open(port);
    return this.boundPort;
  }

  /** A real outage: the port stops listening, so clients get "connection refused". */
  setDown(): Promise<void> {
    return this.serial(async () => {
      this.isDown = true;
      await this.shut();
    });
  }

  /** Listens again on the same port. */
  setUp(): Promise<void> {
    return this.serial(async () => {
      this.isDown = false;
      if (this.boundPort !== undefined && !this.server) await this.open(this.boundPort);
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.shut());
  }

  private serial(run: () => Promise<void>): Promise<void> {
    const next = this.switching.then(run);
    this.switching = next.catch(() => undefined);
    return next;
  }

  list(filter: MailFilter = {}): StoredMail[] {
    const to = filter.to?.toLowerCase();
    const subject = filter.subject?.toLowerCase();
    return this.messages.filter((m) => (!to || m.to.includes(to)) && (!subject || m.subject.toLowerCase().includes(subject)));
  }

  get duplicates(): number {
    return this.duplicateCount;
  }

  clear(): void {
    this.messages.length = 0;
    this.seenIds.clear();
    this.duplicateCount = 0;
  }

  private async open(port: number): Promise<number> {
    const server = new SMTPServer({
      name: 'sandbox.levensloop.local',
      banner: 'Levensloop sandbox SMTP sink',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_MESSAGE_BYTES,
      logger: false,
      // An outage drops open sessions at once instead of after the default 30 s.
      closeTimeout: 50,
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            this.store(parsed, session.envelope.rcptTo.map((r) => r.address.toLowerCase()), session.envelope.mailFrom ? session.envelope.mailFrom.address : null);
            callback();
          },
          (err: unknown) => {
            this.options.logger.warn({ err }, 'smtp sink could not parse a message');
            callback(Object.assign(new Error('The message could not be parsed'), { responseCode: 554 }));
          },
        );
      },
    });
    server.on('error', (err) => this.options.logger.warn({ err }, 'smtp sink error'));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.server.once('error', onError);
      server.listen(port, this.host, () => {
        server.server.off('error', onError);
        resolve();
      });
    });
    this.server = server;
    return (server.server.address() as AddressInfo).port;
  }

  private async shut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private store(parsed: Awaited<ReturnType<typeof simpleParser>>, rcptTo: string[], mailFrom: string | null): void {
    const messageId = parsed.messageId ?? null;
    // The same Message-ID again is a resend of one message (the engine's idempotency key): accepted, counted, not kept twice.
    if (messageId !== null && this.seenIds.has(messageId)) {
      this.duplicateCount++;
      return;
    }
    if (messageId !== null) this.seenIds.add(messageId);
    const headers: Record<string, string> = {};
    for (const { key, line } of parsed.headerLines) {
      const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    const mail: StoredMail = {
      messageId,
      from: firstAddress(parsed.from) ?? mailFrom?.toLowerCase() ?? null,
      to: rcptTo,
      subject: parsed.subject ?? '',
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      headers,
      ...calendarParts(parsed),
      receivedAt: new Date().toISOString(),
    };
    this.messages.push(mail);
    if (this.messages.length > this.maxMessages) this.messages.shift();
    this.options.onStored?.(mail);
  }
}

/** The text/calendar parts of a message, with the method its Content-Type names (RFC 6047). */
function calendarParts(parsed: Awaited<ReturnType<typeof simpleParser>>): Pick<StoredMail, 'calendars'> {
  const parts = parsed.attachments.filter((a) => a.contentType === 'text/calendar');
  if (!parts.length) return {};
  return {
    calendars: parts.map((a) => {
      const type = a.headers.get('content-type') as { value?: string; params?: Record<string, string> } | string | undefined;
      const method = typeof type === 'object' ? (type.params?.method ?? null) : null;
      return { contentType: a.contentType, method: method ? method.toUpperCase() : null, content: a.content.toString('utf8') };
    }),
  };
}
