import { open, stat, type FileHandle } from 'node:fs/promises';

/** The audit file cannot take a record: a write is not sent upstream (error code `audit_unavailable`). */
export class AuditUnavailableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`the audit log ${path} cannot be written (${reason})`);
    this.name = 'AuditUnavailableError';
  }
}

/**
 * An append-only JSON-lines file: opened with O_APPEND (each record is one write(2) at the end, whatever other
 * process or instance appends too), each record flushed to disk (fdatasync) before `append` resolves. When the path
 * names another file than the one open (logrotate moved it away), it is opened again, so rotation needs no signal.
 */
export class AuditFile {
  #handle: FileHandle | undefined;
  #identity = '';
  /** One append at a time, in call order: a record is never interleaved with another. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Throws AuditUnavailableError unless the file is open and still the one at the path (it opens it if not). */
  async ready(): Promise<void> {
    try {
      const current = await stat(this.path).catch(() => undefined);
      if (this.#handle && current && identity(current) === this.#identity) return;
      await this.#reopen();
    } catch (error) {
      throw new AuditUnavailableError(this.path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
  }

  /** Appends one line and flushes it; throws AuditUnavailableError when it could not. */
  append(line: string): Promise<void> {
    const run = this.#queue.then(() => this.#append(`${line}\n`));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => {});
  }

  async #append(text: string): Promise<void> {
    await this.ready();
    try {
      await this.#handle!.write(text);
      await this.#handle!.datasync();
    } catch (error) {
      // Open it afresh next time: the handle may be the cause.
      await this.#handle?.close().catch(() => {});
      this.#handle = undefined;
      throw new AuditUnavailableError(this.path, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
  }

  async #reopen(): Promise<void> {
    const old = this.#handle;
    this.#handle = undefined;
    await old?.close().catch(() => {});
    // 'a': O_WRONLY | O_CREAT | O_APPEND; readable by its owner only (it names tenants and ids).
    const handle = await open(this.path, 'a', 0o600);
    try {
      this.#identity = identity(await handle.stat());
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
    this.#handle = handle;
  }
}

const identity = (s: { dev: number; ino: number }) => `${s.dev}:${s.ino}`;
