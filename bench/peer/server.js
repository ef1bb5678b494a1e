// The peer for side-by-side runs (docs/benchmarks.md): a chat server built the way the original product was,
// Socket.IO 4.8 on Node, with the same three operations our hub offers the load tool:
//   join {room} -> ack {room}
//   send {room, text, clientMessageId} -> ack {room, id, sentAt} | {error: "code: sentence"}
//   server -> client "message" {room, id, authorName, text, sentAt, clientMessageId}
// --persist redis: each message is appended to the room's Redis stream (XADD, which gives its id) before it is
// broadcast and acknowledged; --persist none: nothing is stored, ids come from a counter in memory.
//
//   node server.js --port 5400 [--persist redis --redis redis://127.0.0.1:6379]
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { createClient } from 'redis';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '5400' },
    host: { type: 'string', default: '127.0.0.1' },
    persist: { type: 'string', default: 'redis' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    'max-length': { type: 'string', default: '2000' },
  },
});

if (!['redis', 'none'].includes(options.persist)) {
  console.error(`--persist must be redis or none, not ${options.persist}`);
  process.exit(2);
}

const maxLength = Number(options['max-length']);
let redis = null;
if (options.persist === 'redis') {
  redis = createClient({ url: options.redis });
  redis.on('error', (error) => console.error('redis:', error.message));
  await redis.connect();
}

const counters = new Map();
async function store(room, author, text, clientMessageId, sentAt) {
  if (redis === null) {
    const id = (counters.get(room) ?? 0) + 1;
    counters.set(room, id);
    return String(id);
  }

  // The stream entry id is the message id, as in our Redis message log.
  return redis.xAdd(`peer:room:${room}:log`, '*', {
    author,
    text,
    clientMessageId: clientMessageId ?? '',
    sentAt,
  });
}

const http = createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('Healthy');
    return;
  }

  response.writeHead(404);
  response.end();
});

// WebSocket only, like our hub with skipNegotiation: no long-polling upgrade dance.
const io = new Server(http, { transports: ['websocket'], serveClient: false, maxHttpBufferSize: 65536 });

io.on('connection', (socket) => {
  const name = String(socket.handshake.auth?.name ?? 'guest');
  const rooms = new Set();

  socket.on('join', (request, ack) => {
    const room = String(request?.room ?? '');
    if (room.length === 0) {
      ack?.({ error: 'invalid_room_name: a room needs a name' });
      return;
    }

    socket.join(room);
    rooms.add(room);
    ack?.({ room });
  });

  socket.on('send', async (request, ack) => {
    const room = String(request?.room ?? '');
    const text = String(request?.text ?? '');
    if (!rooms.has(room)) {
      ack?.({ error: `not_member: join ${room} first` });
      return;
    }

    if (text.length === 0 || text.length > maxLength) {
      ack?.({ error: `text_too_long: at most ${maxLength} characters` });
      return;
    }

    const sentAt = new Date().toISOString();
    let id;
    try {
      id = await store(room, name, text, request?.clientMessageId, sentAt);
    } catch (error) {
      ack?.({ error: `backend_unavailable: ${error.message}` });
      return;
    }

    io.to(room).emit('message', { room, id, authorName: name, text, sentAt, clientMessageId: request?.clientMessageId ?? null });
    ack?.({ room, id, sentAt });
  });
});

http.listen(Number(options.port), options.host, () => {
  console.log(`peer listening on http://${options.host}:${options.port} (persist: ${options.persist})`);
});

async function shutdown() {
  io.close();
  if (redis !== null) {
    await redis.quit().catch(() => {});
  }

  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
