// PostgreSQL frontend/backend protocol (version 3.0) messages, as the hex strings HAProxy's
// `tcp-check send-binary` / `expect binary` take. Only what the role check needs.

const PROTOCOL_3_0 = 196608;

/** A signed big-endian Int16 or Int32, as the protocol writes every integer. */
function int(bytes: 2 | 4, value: number): Buffer {
  const buf = Buffer.alloc(bytes);
  buf.writeIntBE(value, 0, bytes);
  return buf;
}

function cstring(text: string): Buffer {
  if (text.includes('\0')) throw new Error(`a protocol string cannot contain a NUL byte: ${JSON.stringify(text)}`);
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

/** A typed message: type byte, then Int32 length counting itself and the body. */
function typed(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type, 'latin1'), int(4, 4 + body.length), body]);
}

/** StartupMessage: Int32 length, Int32 protocol 3.0, name/value pairs, a closing NUL. */
export function startupMessage(params: Record<string, string>): Buffer {
  const pairs = Object.entries(params).flatMap(([name, value]) => [cstring(name), cstring(value)]);
  const body = Buffer.concat([int(4, PROTOCOL_3_0), ...pairs, Buffer.from([0])]);
  return Buffer.concat([int(4, 4 + body.length), body]);
}

/** Query ('Q'): one simple-protocol SQL string. */
export function queryMessage(sql: string): Buffer {
  return typed('Q', cstring(sql));
}

/** Terminate ('X'): the server closes the connection after answering what came before. */
export function terminateMessage(): Buffer {
  return typed('X', Buffer.alloc(0));
}

/** AuthenticationOk ('R', code 0): what a trust login answers first. */
export function authenticationOkMessage(): Buffer {
  return typed('R', int(4, 0));
}

/** DataRow ('D') of one non-null text column. */
export function singleColumnDataRow(value: string): Buffer {
  const column = Buffer.from(value, 'utf8');
  return typed('D', Buffer.concat([int(2, 1), int(4, column.length), column]));
}

export function toHex(...messages: Buffer[]): string {
  return Buffer.concat(messages).toString('hex');
}
