// The load driver for the Socket.IO peer: the same workload, schedule, measurements and report (JSON and markdown)
// as bench/Chatroom.LoadTest, with socket.io-client instead of the SignalR .NET client. Keep the two in step.
// With --client signalr it drives our server instead (the @microsoft/signalr JavaScript client: guest sign-in, rooms
// created over REST, JoinRoom and SendMessage on /hubs/chat), so both servers can be measured by this one Node client.
//
// Each message carries its send time (performance.now() of this process) in its text, so send→deliver is measured
// at every member of the room that receives it (the sender included), and send→ack is the `send` round trip (the
// peer acknowledges after storing). Open-loop schedule: each room gets --rate messages per second from its members
// in turn; beyond --max-in-flight unanswered sends on a connection a send is skipped and counted.
//
//   node loadtest.js --url http://127.0.0.1:5400 --connections 600 --rooms 60 --rate 5 --duration 30 --json out.json
//   node loadtest.js --client signalr --url http://127.0.0.1:5000 …
//
// Several --url values are several nodes: connections are spread round-robin, each message names its sender's node,
// and deliveries from another node are also reported apart (crossNode).
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { LatencyHistogram } from './histogram.js';

const { values: argv } = parseArgs({
  options: {
    url: { type: 'string', short: 'u', multiple: true, default: ['http://127.0.0.1:5400'] },
    connections: { type: 'string', short: 'c', default: '600' },
    rooms: { type: 'string', short: 'r', default: '60' },
    rate: { type: 'string', default: '5' },
    size: { type: 'string', default: '100' },
    duration: { type: 'string', short: 'd', default: '30' },
    count: { type: 'string', short: 'n' },
    drain: { type: 'string', default: '10' },
    'connect-parallelism': { type: 'string', default: '32' },
    'max-in-flight': { type: 'string', default: '64' },
    'server-pid': { type: 'string', multiple: true, default: [] },
    label: { type: 'string' },
    client: { type: 'string', default: 'socket.io' },
    'api-url': { type: 'string' },
    json: { type: 'string' },
  },
});

const settings = {
  urls: argv.url,
  connections: positive('connections', Number(argv.connections)),
  rooms: positive('rooms', Number(argv.rooms)),
  ratePerRoom: positive('rate', Number(argv.rate)),
  messageBytes: positive('size', Number(argv.size)),
  durationSeconds: positive('duration', Number(argv.duration)),
  count: argv.count === undefined ? null : positive('count', Number(argv.count)),
  drainSeconds: Number(argv.drain),
  connectParallelism: positive('connect-parallelism', Number(argv['connect-parallelism'])),
  maxInFlight: positive('max-in-flight', Number(argv['max-in-flight'])),
  pids: argv['server-pid'].map(Number),
  client: argv.client,
  apiUrl: argv['api-url'],
  label: argv.label ?? (argv.client === 'signalr' ? 'chatroom (node client)' : 'socket.io peer'),
};
if (settings.client !== 'socket.io' && settings.client !== 'signalr') {
  console.error('--client must be socket.io or signalr');
  process.exit(2);
}

function positive(name, value) {
  if (!(value > 0)) {
    console.error(`--${name} must be positive`);
    process.exit(2);
  }

  return value;
}

const MARKER = 'lt|';
const INVOKE_TIMEOUT_MS = 30_000;
const runId = new Date().toISOString().slice(11, 19).replaceAll(':', '') + String(1000 + Math.floor(Math.random() * 9000));
const ack = new LatencyHistogram();
const deliver = new LatencyHistogram();
const deliverCrossNode = new LatencyHistogram();
const refused = new Map();
const errors = new Map();
const connectFailures = new Map();
let deliveredCrossNode = 0;
let sent = 0, acked = 0, skipped = 0, delivered = 0, expected = 0, inFlight = 0, dropped = 0, sequence = 0;
let stopping = false;

const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (map) => Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const refusalCode = (error) => String(error).split(':', 1)[0].trim();
/** A SignalR hub refusal reads "An unexpected error occurred invoking 'X' on the server. HubException: code: sentence". */
const hubRefusalCode = (message) => {
  const marker = 'HubException: ';
  const at = message.indexOf(marker);
  return refusalCode(at < 0 ? message : message.slice(at + marker.length));
};
/** Settles with the promise, or rejects with "timed out" after INVOKE_TIMEOUT_MS (SignalR's invoke has no timeout). */
const withTimeout = (promise) => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), INVOKE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** Sums `read(pid)` over the server pids; null when there are none or one cannot be read (it exited, or not Linux). */
async function sumOverServers(read) {
  if (settings.pids.length === 0) {
    return null;
  }

  let total = 0;
  for (const pid of settings.pids) {
    try {
      const value = await read(pid);
      if (value === null) {
        return null;
      }

      total += value;
    } catch {
      return null;
    }
  }

  return total;
}

/** Resident set size in bytes (`VmRSS` in /proc/<pid>/status). */
const residentBytes = () =>
  sumOverServers(async (pid) => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('VmRSS:'));
    return line === undefined ? null : Number(line.slice('VmRSS:'.length).trim().split(/\s+/)[0]) * 1024;
  });

// /proc/<pid>/stat counts CPU time in clock ticks; the .NET load tool reports the same through Process.TotalProcessorTime.
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds, user and system (/proc/<pid>/stat fields 14 and 15). */
const cpuSeconds = () =>
  sumOverServers(async (pid) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')' start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  });

/** lt|<send time>|<sequence>|<sender's node>|… */
function onMessage(message, node) {
  const text = message?.text;
  if (typeof text !== 'string' || !text.startsWith(MARKER)) {
    return;
  }

  const fields = text.slice(MARKER.length).split('|', 3);
  const sentAt = Number(fields[0]);
  if (fields[0] !== '' && Number.isFinite(sentAt)) {
    const elapsed = performance.now() - sentAt;
    deliver.record(elapsed);
    delivered += 1;
    if (fields.length === 3 && Number(fields[2]) !== node) {
      deliverCrossNode.record(elapsed);
      deliveredCrossNode += 1;
    }
  }
}

async function postJson(url, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token !== undefined) {
    headers.authorization = `Bearer ${token}`;
  }

  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(INVOKE_TIMEOUT_MS) });
  if (!response.ok) {
    const error = new Error(`${new URL(url).pathname} answered ${response.status}`);
    error.status = response.status;
    throw error;
  }

  return response.json();
}

const signIn = async (url, name) => (await postJson(new URL('/api/auth/guest', url), { name })).token;

/** Our server keeps rooms apart from joining: create them first, as the .NET load tool does. */
async function createRooms(rooms) {
  if (settings.client !== 'signalr') {
    return;
  }

  const url = settings.apiUrl ?? settings.urls[0];
  const token = await signIn(url, `lt-${runId}-owner`);
  for (const room of rooms) {
    await postJson(new URL('/api/rooms', url), { name: room }, token);
  }
}

/** A member over @microsoft/signalr: send() resolves to null when acknowledged, or to the refusal's code. */
async function connectSignalR(index, node, url, room) {
  let stage = 'sign_in';
  let connection = null;
  try {
    const token = await signIn(settings.apiUrl ?? url, `lt-${runId}-${index}`);
    stage = 'connect';
    connection = new HubConnectionBuilder()
      .withUrl(new URL('/hubs/chat', url).toString(), {
        transport: HttpTransportType.WebSockets,
        skipNegotiation: true,
        accessTokenFactory: () => token,
      })
      .configureLogging(LogLevel.None)
      .build();
    connection.serverTimeoutInMilliseconds = INVOKE_TIMEOUT_MS;
    connection.on('message', (message) => onMessage(message, node));
    connection.onclose((error) => {
      if (!stopping && error !== undefined) {
        dropped += 1;
      }
    });
    await connection.start();
    stage = 'join';
    await withTimeout(connection.invoke('JoinRoom', room, null));
    const hub = connection;
    return {
      index, node, room, inFlight: 0,
      send: async (text, clientMessageId) => {
        try {
          await withTimeout(hub.invoke('SendMessage', room, text, clientMessageId));
          return null;
        } catch (error) {
          if (/HubException: /.test(String(error?.message))) {
            return hubRefusalCode(error.message);
          }

          throw error;
        }
      },
      close: () => hub.stop(),
    };
  } catch (error) {
    const reason = stage === 'sign_in' && error?.status !== undefined ? `sign_in_${error.status}` : `${stage}: ${hubRefusalCode(String(error?.message ?? 'error'))}`;
    add(connectFailures, reason);
    await connection?.stop();
    return null;
  }
}

function connectOne(index, node, url, room) {
  if (settings.client === 'signalr') {
    return connectSignalR(index, node, url, room);
  }

  return new Promise((resolve) => {
    let stage = 'connect';
    const socket = io(url, {
      transports: ['websocket'],
      auth: { name: `lt-${runId}-${index}` },
      reconnection: false,
      forceNew: true,
      timeout: INVOKE_TIMEOUT_MS,
    });
    socket.on('message', (message) => onMessage(message, node));
    socket.once('connect_error', (error) => {
      add(connectFailures, `${stage}: ${error?.message ?? 'error'}`);
      socket.close();
      resolve(null);
    });
    socket.once('connect', async () => {
      stage = 'join';
      try {
        const reply = await socket.timeout(INVOKE_TIMEOUT_MS).emitWithAck('join', { room });
        if (reply?.error) {
          add(connectFailures, `join: ${refusalCode(reply.error)}`);
          socket.close();
          resolve(null);
          return;
        }

        socket.on('disconnect', (reason) => {
          if (!stopping && reason !== 'io client disconnect') {
            dropped += 1;
          }
        });
        resolve({
          index, node, room, inFlight: 0,
          send: async (text, clientMessageId) => {
            const reply = await socket.timeout(INVOKE_TIMEOUT_MS).emitWithAck('send', { room, text, clientMessageId });
            return reply?.error ? refusalCode(reply.error) : null;
          },
          close: () => socket.close(),
        });
      } catch (error) {
        add(connectFailures, `join: ${error?.message ?? 'error'}`);
        socket.close();
        resolve(null);
      }
    });
  });
}

async function connectAll(rooms) {
  const members = [];
  let next = 0;
  let attempted = 0;
  const worker = async () => {
    while (next < settings.connections) {
      const index = next++;
      // The room is index mod R, the node the member's place in its room mod N: every room spans the nodes.
      const node = Math.floor(index / rooms.length) % settings.urls.length;
      const member = await connectOne(index, node, settings.urls[node], rooms[index % rooms.length]);
      if (member !== null) {
        members.push(member);
      }

      attempted += 1;
      if (attempted % 100 === 0 || attempted === settings.connections) {
        console.error(`connecting: ${attempted}/${settings.connections} attempted, ${members.length} joined`);
      }
    }
  };
  await Promise.all(Array.from({ length: settings.connectParallelism }, worker));
  return members;
}

function text(sentAt, seq, node) {
  const head = `${MARKER}${sentAt.toFixed(3)}|${seq}|${node}|`;
  return head.length < settings.messageBytes ? head + 'x'.repeat(settings.messageBytes - head.length) : head;
}

async function sendOne(member, seq, roomSize) {
  member.inFlight += 1;
  inFlight += 1;
  sent += 1;
  const started = performance.now();
  try {
    const refusal = await member.send(text(started, seq, member.node), `${runId}-${seq}`);
    if (refusal !== null) {
      add(refused, refusal);
    } else {
      ack.record(performance.now() - started);
      acked += 1;
      expected += roomSize;
    }
  } catch (error) {
    add(errors, /timed out/.test(String(error?.message)) ? 'ack_timeout' : (error?.name ?? 'Error'));
  } finally {
    member.inFlight -= 1;
    inFlight -= 1;
  }
}

async function sendLoop(members, roomIndex, start, deadline) {
  const interval = 1000 / settings.ratePerRoom;
  // Rooms start at spread-out phases so the sends of all rooms do not land in the same millisecond.
  const phase = interval * (roomIndex / settings.rooms);
  for (let k = 0; !stopping; k++) {
    const due = start + phase + interval * k;
    if (due >= deadline) {
      return;
    }

    const wait = due - performance.now();
    if (wait > 0) {
      await sleep(wait);
    }

    if (stopping) {
      return;
    }

    const seq = ++sequence;
    if (settings.count !== null && seq > settings.count) {
      stopping = true;
      return;
    }

    const member = members[k % members.length];
    if (member.inFlight >= settings.maxInFlight) {
      skipped += 1;
      continue;
    }

    void sendOne(member, seq, members.length);
  }
}

function markdown(report) {
  const counts = (c) => (Object.keys(c).length === 0 ? '0' : Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '));
  const latency = (l) => `${l.p50.toFixed(2)} / ${l.p90.toFixed(2)} / ${l.p99.toFixed(2)} / ${l.max.toFixed(2)} ms (n=${l.count})`;
  const w = report.workload;
  const lines = [
    `| ${report.label} | |`,
    '|---|---|',
    `| workload | ${w.connections} connections, ${w.rooms} rooms, ${w.ratePerRoom} msg/s per room, ${w.messageBytes} B, ${report.sendSeconds.toFixed(1)} s |`,
    `| targets | ${report.urls.join(', ')} |`,
    `| connections | ${report.connections.connected} of ${report.connections.attempted} (failures: ${counts(report.connections.failures)}; dropped during the run: ${report.connections.dropped}) |`,
    `| sent / acked | ${report.sent} / ${report.acked} (skipped, client backlog: ${report.skipped}) |`,
    `| refused by code | ${counts(report.refused)} |`,
    `| errors | ${counts(report.errors)} |`,
    `| send→ack p50 / p90 / p99 / max | ${latency(report.ackMs)} |`,
    `| send→deliver p50 / p90 / p99 / max | ${latency(report.deliverMs)} |`,
    `| delivered | ${report.delivered} of ${report.expectedDeliveries} expected (missing ${report.missing}); ${report.deliveredPerSecond.toFixed(0)}/s while sending |`,
  ];
  if (report.crossNode !== null) {
    const x = report.crossNode;
    lines.push(`| cross-node send→deliver p50 / p90 / p99 / max | ${latency(x.deliverMs)}; ${x.delivered} of ${report.delivered} deliveries crossed between ${x.nodes} nodes |`);
  }
  if (report.serverCpu !== null) {
    lines.push(`| server CPU | ${report.serverCpu.seconds.toFixed(2)} s from the first send to the end of the drain; ${report.serverCpu.microsecondsPerDelivery.toFixed(1)} µs per delivery |`);
  }
  if (report.serverRss !== null) {
    const r = report.serverRss;
    lines.push(`| server RSS | ${(r.baselineBytes / 1048576).toFixed(1)} MiB idle, ${(r.connectedBytes / 1048576).toFixed(1)} MiB connected, ${(r.peakBytes / 1048576).toFixed(1)} MiB peak; ${(r.perConnectionBytes / 1024).toFixed(1)} KiB per connection |`);
  }

  return lines.join('\n') + '\n';
}

async function main() {
  const startedAt = new Date().toISOString();
  const rooms = Array.from({ length: settings.rooms }, (_, r) => `lt-${runId}-${r}`);
  await createRooms(rooms);
  const baseline = await residentBytes();
  const members = await connectAll(rooms);
  await sleep(1000);
  const connectedRss = await residentBytes();
  let peakRss = connectedRss ?? 0;

  const byRoom = new Map();
  for (const member of members.sort((a, b) => a.index - b.index)) {
    byRoom.set(member.room, [...(byRoom.get(member.room) ?? []), member]);
  }

  const cpuBefore = await cpuSeconds();
  const start = performance.now();
  const deadline = start + settings.durationSeconds * 1000;
  let lastDelivered = 0;
  const progress = setInterval(async () => {
    const rss = await residentBytes();
    if (rss !== null) {
      peakRss = Math.max(peakRss, rss);
    }

    const a = ack.summarise();
    const d = deliver.summarise();
    const refusedTotal = [...refused.values()].reduce((x, y) => x + y, 0);
    const errorsTotal = [...errors.values()].reduce((x, y) => x + y, 0);
    console.error(`${((performance.now() - start) / 1000).toFixed(0).padStart(5)} s  conns ${members.length - dropped}  sent ${sent}  acked ${acked}  refused ${refusedTotal}  errors ${errorsTotal}  in flight ${inFlight}  delivered ${delivered} (${delivered - lastDelivered}/s)  ack p50 ${a.p50.toFixed(1)} p99 ${a.p99.toFixed(1)} ms  deliver p50 ${d.p50.toFixed(1)} p99 ${d.p99.toFixed(1)} ms${rss === null ? '' : `  server RSS ${(rss / 1048576).toFixed(0)} MiB`}`);
    lastDelivered = delivered;
  }, 1000);

  await Promise.all([...byRoom.values()].map((roomMembers, index) => sendLoop(roomMembers, index, start, deadline)));
  stopping = true;
  const sendSeconds = (performance.now() - start) / 1000;
  const deliveredWhileSending = delivered;

  const drainUntil = performance.now() + settings.drainSeconds * 1000;
  while (performance.now() < drainUntil && (inFlight > 0 || delivered < expected)) {
    await sleep(50);
  }

  clearInterval(progress);
  const cpuAfter = await cpuSeconds();
  const deliveredTotal = delivered;
  const expectedTotal = expected;
  await Promise.all(members.map((member) => member.close()));

  const report = {
    tool: `bench/peer/loadtest.js (${settings.client === 'signalr' ? '@microsoft/signalr' : 'socket.io-client'})`,
    label: settings.label,
    urls: settings.urls,
    startedAt,
    workload: {
      connections: settings.connections,
      rooms: settings.rooms,
      ratePerRoom: settings.ratePerRoom,
      messageBytes: settings.messageBytes,
      durationSeconds: settings.durationSeconds,
      count: settings.count,
    },
    connections: { attempted: settings.connections, connected: members.length, failures: sorted(connectFailures), dropped },
    sent,
    acked,
    refused: sorted(refused),
    errors: sorted(errors),
    skipped,
    sendSeconds: Math.round(sendSeconds * 1000) / 1000,
    ackMs: ack.summarise(),
    deliverMs: deliver.summarise(),
    delivered: deliveredTotal,
    expectedDeliveries: expectedTotal,
    missing: Math.max(0, expectedTotal - deliveredTotal),
    deliveredPerSecond: Math.round((sendSeconds > 0 ? deliveredWhileSending / sendSeconds : 0) * 10) / 10,
    serverRss: baseline !== null && connectedRss !== null
      ? {
          pids: settings.pids,
          baselineBytes: baseline,
          connectedBytes: connectedRss,
          peakBytes: Math.max(peakRss, connectedRss),
          perConnectionBytes: members.length === 0 ? 0 : (connectedRss - baseline) / members.length,
        }
      : null,
    serverCpu: cpuBefore !== null && cpuAfter !== null
      ? {
          seconds: Math.round((cpuAfter - cpuBefore) * 100) / 100,
          microsecondsPerDelivery: deliveredTotal === 0 ? 0 : Math.round(((cpuAfter - cpuBefore) * 1e6 / deliveredTotal) * 10) / 10,
        }
      : null,
    crossNode: settings.urls.length > 1 ? { nodes: settings.urls.length, delivered: deliveredCrossNode, deliverMs: deliverCrossNode.summarise() } : null,
  };

  process.stdout.write(markdown(report));
  if (argv.json !== undefined) {
    await writeFile(argv.json, JSON.stringify(report, null, 2));
  }

  process.exit(members.length > 0 ? 0 : 1);
}

await main();
