// Who gets a connection slot when all of them are taken. Node's own `maxConnections` refuses
// the newcomer, so 256 keep-alive clients polling /healthz without a token kept Alertmanager
// out for as long as they liked. Here a connection earns its slot by authenticating: past the
// cap a newcomer displaces the oldest connection that never sent a valid token (an idle one
// first, then one in the middle of an unauthenticated request), and is refused only when every
// open connection has authenticated. Clients without a token can then take at most the slots
// nobody with a token needs.

interface Slot {
  /** A request on this connection carried a valid token. */
  trusted: boolean;
  /** Requests on this connection not yet answered. */
  busy: number;
}

export type Admission<C> = { admitted: true; evicted?: C } | { admitted: false };

export class ConnectionSlots<C> {
  /** Insertion order is age order: the first entry is the oldest connection. */
  private readonly open = new Map<C, Slot>();

  constructor(readonly cap: number) {}

  get size(): number {
    return this.open.size;
  }

  /**
   * Takes a slot for `conn`, naming the connection to close to make room (the caller closes
   * it), or refuses `conn` when every slot is held by an authenticated connection.
   */
  admit(conn: C): Admission<C> {
    let evicted: C | undefined;
    if (this.open.size >= this.cap) {
      evicted = this.victim();
      if (evicted === undefined) return { admitted: false };
      this.open.delete(evicted);
    }
    this.open.set(conn, { trusted: false, busy: 0 });
    return evicted === undefined ? { admitted: true } : { admitted: true, evicted };
  }

  release(conn: C): void {
    this.open.delete(conn);
  }

  /** A request on `conn` presented a valid token: the connection keeps its slot from now on. */
  trust(conn: C): void {
    const slot = this.open.get(conn);
    if (slot) slot.trusted = true;
  }

  requestStarted(conn: C): void {
    const slot = this.open.get(conn);
    if (slot) slot.busy++;
  }

  requestEnded(conn: C): void {
    const slot = this.open.get(conn);
    if (slot && slot.busy > 0) slot.busy--;
  }

  /** The oldest untrusted connection, idle ones before busy ones. */
  private victim(): C | undefined {
    let busyCandidate: C | undefined;
    for (const [conn, slot] of this.open) {
      if (slot.trusted) continue;
      if (slot.busy === 0) return conn;
      busyCandidate ??= conn;
    }
    return busyCandidate;
  }
}
