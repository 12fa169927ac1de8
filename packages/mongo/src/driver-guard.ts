// A guard around one hang in the MongoDB Node driver (seen in 7.8.0 and 7.9.0).
//
// Connection.writeCommand waits for the socket's 'drain' event whenever socket.write returns false.
// The server closing a connection destroys the socket one tick before the socket's 'close' event
// reaches the driver's connection. A write landing in that gap returns false on a destroyed socket,
// and that socket never drains and never errors: the command never settles.
// When that command is the server monitor's heartbeat (FerretDB has no streaming monitor, so every
// heartbeat is a plain command), the monitor stops for good. Every operation then fails server
// selection with the old "connection N closed" error, until the process restarts.
// The fault suite's "store stopped 20 s" case hit it about once in three runs.
//
// The guard makes such a write fail as the closed connection it is. The driver then treats it
// like any other network error: the heartbeat fails, the pool is cleared, the monitor tries again.
import { createRequire } from "node:module";

interface DriverSocket {
  destroyed: boolean;
  once(event: "close", listener: () => void): unknown;
  off(event: "close", listener: () => void): unknown;
}

interface DriverConnection {
  id: number | string;
  address: string;
  socket: DriverSocket;
  closed: boolean;
  error?: Error;
  onError(error: Error): void;
  writeCommand(command: unknown, options: unknown): Promise<void>;
}

type NetworkErrorClass = new (message: string) => Error;

const GUARDED = Symbol.for("lto.mongo.writeGuard");

/** Puts the guard on every copy of the driver this process loads through mongoose or directly. */
export function guardDriverWrites(): void {
  const here = createRequire(import.meta.url);
  const throughMongoose = createRequire(here.resolve("mongoose"));
  for (const load of [throughMongoose, here]) {
    const connectionModule = load("mongodb/lib/cmap/connection.js") as {
      Connection?: { prototype: DriverConnection };
    };
    const { MongoNetworkError } = load("mongodb") as { MongoNetworkError: NetworkErrorClass };
    const proto = connectionModule.Connection?.prototype;
    if (!proto || typeof proto.writeCommand !== "function")
      throw new Error(
        "@lto/mongo: the MongoDB driver no longer has Connection.writeCommand; review driver-guard.ts",
      );
    guard(proto, MongoNetworkError);
  }
}

function guard(proto: DriverConnection, MongoNetworkError: NetworkErrorClass): void {
  const marked = proto as DriverConnection & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  const original = proto.writeCommand;
  proto.writeCommand = function guardedWriteCommand(this: DriverConnection, command, options) {
    const socket = this.socket;
    const closedError = () =>
      this.error ?? new MongoNetworkError(`connection ${this.id} to ${this.address} closed`);
    if (socket.destroyed) {
      const error = closedError();
      this.onError(error);
      return Promise.reject(error);
    }
    let onClose = () => {};
    const closed = new Promise<never>((_, reject) => {
      onClose = () => reject(closedError());
      socket.once("close", onClose);
    });
    return Promise.race([original.call(this, command, options), closed]).finally(() =>
      socket.off("close", onClose),
    );
  };
  marked[GUARDED] = true;
}
