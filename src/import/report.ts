// What an import found wrong or changed, each named by file, service, SLO and field as the
// config errors are, so a user can go straight to the line in the spec they are migrating.
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';

export interface Where {
  /** The spec file, with " (document N)" when it holds several YAML documents. */
  file: string;
  service?: string;
  slo?: string;
  /** Field path in the source spec, e.g. "sli.events.error_query". */
  field?: string;
}

export function formatWhere(w: Where): string {
  const parts = [
    w.service !== undefined ? `service "${w.service}"` : '',
    w.slo !== undefined ? `SLO "${w.slo}"` : '',
    w.field !== undefined ? `field "${w.field}"` : '',
  ].filter((s) => s !== '');
  return `${w.file}: ${parts.length > 0 ? parts.join(' > ') + ': ' : ''}`;
}

/**
 * A user error where one SLO (or document) cannot be imported, with the file, service, SLO and
 * field it is about; the importer collects them and goes on.
 */
export class ImportFailure extends UserError {
  override name = 'ImportFailure';

  constructor(
    readonly where: Where,
    message: string,
  ) {
    super(message);
  }
}

/** Errors stop the import (nothing is written); notes are printed and written into the files. */
export class Report {
  readonly errors: string[] = [];
  readonly notes: Array<{ where: Where; message: string }> = [];

  error(where: Where, message: string): void {
    this.errors.push(formatWhere(where) + message);
  }

  note(where: Where, message: string): void {
    // A renamed service is met once per SLO; say it once.
    if (this.notes.some((n) => n.message === message && formatWhere(n.where) === formatWhere(where))) return;
    this.notes.push({ where, message });
  }

  /** Runs `fn`, turning an ImportFailure into a collected error so every problem gets reported. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof ImportFailure)) throw err;
      this.error(err.where, err.message);
      return undefined;
    }
  }

  throwIfFailed(): void {
    if (this.errors.length > 0) {
      throw new UserError(`${this.errors.join('\n')}\n${nothingWritten(this.errors.length)}`);
    }
  }
}
