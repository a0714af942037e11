/**
 * `DIR/state.json`: written asynchronously and coalesced. A change only marks the file stale; one write follows
 * shortly after (however many changes came in between), never more than one at a time, each to a temporary file
 * renamed over the old one (atomic). `flush()` writes what is pending and waits for it.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Delay in milliseconds between the first unsaved change and its write (later changes join that write). */
export const SAVE_DELAY_MS = 250;

/** The state file of one data folder. */
export class StateFile {
  /** Path of `state.json`. */
  readonly path: string;
  /** Number of completed writes of the file so far. */
  writes = 0;
  private stale = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  /**
   * @param dataDir the data folder (created on the first write)
   * @param serialise returns the text to write, called once per write
   * @param onError receives the error of a background write (a later `flush()` tries again)
   */
  constructor(
    readonly dataDir: string,
    private readonly serialise: () => string,
    private readonly onError: (err: Error) => void,
  ) {
    this.path = join(dataDir, 'state.json');
  }

  /** Marks the file stale and schedules one write for everything changed until then. */
  changed(): void {
    this.stale = true;
    this.schedule();
  }

  /** Writes any unsaved change now and resolves when the file holds everything changed before the call. */
  async flush(): Promise<void> {
    this.cancelTimer();
    if (this.writing !== null) await this.writing.catch(() => undefined);
    while (this.stale) {
      this.cancelTimer();
      await this.write();
    }
  }

  private schedule(): void {
    if (this.timer !== null || this.writing !== null || !this.stale) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.write().catch((err: Error) => this.onError(err));
    }, SAVE_DELAY_MS);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One write of the current state; changes made meanwhile wait for the next scheduled write. */
  private write(): Promise<void> {
    if (this.writing !== null) return this.writing;
    this.stale = false;
    const text = this.serialise();
    const tmp = `${this.path}.${process.pid}.tmp`;
    this.writing = (async () => {
      try {
        await mkdir(this.dataDir, { recursive: true });
        await writeFile(tmp, text, { mode: 0o600 });
        await rename(tmp, this.path);
        this.writes++;
      } catch (err) {
        this.stale = true;
        throw err;
      }
    })().finally(() => {
      this.writing = null;
      this.schedule();
    });
    return this.writing;
  }
}
