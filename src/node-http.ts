// node:http and node:https as the CommonJS built-ins they are. An ESM `import http from
// 'node:http'` makes Node fill in every export of the module for its ESM view, and one of them
// (the lazy `WebSocket` getter of Node 22 and later) loads undici, zlib and http2: 60 to 130 ms of
// CPU at every start of the receiver and of `check`/`status`, which use none of them.
import type * as Http from 'node:http';
import type * as Https from 'node:https';

export const http: typeof Http = process.getBuiltinModule('node:http');
export const https: typeof Https = process.getBuiltinModule('node:https');
