/**
 * The one error a user is shown: an HTTP status, a stable code, what went wrong in zh-CN and in English, and where
 * (file, line, field) when it is about something they gave. The API answers it as JSON with its status; the CLI prints
 * both languages and exits non-zero. Anything else that is thrown is a fault of ours: a 500 that says only that.
 */
export interface ErrorPlace {
  file?: string;
  line?: number;
  field?: string;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 501 | 503;

export class UserError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly place: ErrorPlace = {},
  ) {
    super(`${zh} / ${en}`);
    this.name = 'UserError';
  }

  /** The API's error body (`{ error: { code, zh, en, file?, line?, field? } }`). */
  body(): { error: { code: string; zh: string; en: string } & ErrorPlace } {
    return { error: { code: this.code, zh: this.zh, en: this.en, ...this.place } };
  }

  /** The two languages on two lines, with the place, as the CLI prints them. */
  text(): string {
    const where = [this.place.file, this.place.line === undefined ? undefined : `line ${this.place.line}`, this.place.field].filter(Boolean).join(', ');
    return `${this.zh}\n${this.en}${where ? `\n(${where})` : ''}`;
  }
}

/** 400: the request (or a file's content) is not what it must be. */
export const badRequest = (zh: string, en: string, code = 'bad_query', place?: ErrorPlace): UserError => new UserError(400, code, zh, en, place);
/** 403, worded the same everywhere: "Not allowed: …". */
export const notAllowed = (zh: string, en: string): UserError => new UserError(403, 'forbidden', `无权访问：${zh}`, `Not allowed: ${en}`);
export const notFound = (code: string, zh: string, en: string): UserError => new UserError(404, code, zh, en);
export const notConfigured = (zh: string, en: string): UserError => new UserError(501, 'not_configured', zh, en);
