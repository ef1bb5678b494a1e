// The load driver for the Socket.IO peer: the same workload, schedule, measurements and report (JSON and markdown)
// as bench/Chatroom.LoadTest, with socket.io-client instead of the SignalR .NET client. Keep the two in step.
//
// Each message carries its send time (performance.now() of this process) in its text, so send→deliver is measured
// at every member of the room that receives it (the sender included), and send→ack is the `send` round trip (the
// peer acknowledges after storing). Open-loop schedule: each room gets --rate messages per second from its members
// in turn; beyond --max-in-flight unanswered sends on a connection a send is skipped and counted.
//
//   node loadtest.js --url http://127.0.0.1:5400 --connections 600 --rooms 60 --rate 5 --duration 30 --json out.json
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
    label: { type: 'string', default: 'socket.io peer' },
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
  label: argv.label,
};

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
const refused = new Map();
const errors = new Map();
const connectFailures = new Map();
let sent = 0, acked = 0, skipped = 0, delivered = 0, expected = 0, inFlight = 0, dropped = 0, sequence = 0;
let stopping = false;

const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (map) => Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const refusalCode = (error) => String(error).split(':', 1)[0].trim();

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

function onMessage(message) {
  const text = message?.text;
  if (typeof text !== 'string' || !text.startsWith(MARKER)) {
    return;
  }

  const end = text.indexOf('|', MARKER.length);
  const sentAt = Number(text.slice(MARKER.length, end));
  if (end > 0 && Number.isFinite(sentAt)) {
    deliver.record(performance.now() - sentAt);
    delivered += 1;
  }
}

function connectOne(index, url, room) {
  return new Promise((resolve) => {
    let stage = 'connect';
    const socket = io(url, {
      transports: ['websocket'],
      auth: { name: `lt-${runId}-${index}` },
      reconnection: false,
      forceNew: true,
      timeout: INVOKE_TIMEOUT_MS,
    });
    socket.on('message', onMessage);
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
        resolve({ index, room, socket, inFlight: 0 });
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
      const member = await connectOne(index, settings.urls[index % settings.urls.length], rooms[index % rooms.length]);
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

function text(sentAt, seq) {
  const head = `${MARKER}${sentAt.toFixed(3)}|${seq}|`;
  return head.length < settings.messageBytes ? head + 'x'.repeat(settings.messageBytes - head.length) : head;
}

async function sendOne(member, seq, roomSize) {
  member.inFlight += 1;
  inFlight += 1;
  sent += 1;
  const started = performance.now();
  try {
    const reply = await member.socket
      .timeout(INVOKE_TIMEOUT_MS)
      .emitWithAck('send', { room: member.room, text: text(started, seq), clientMessageId: `${runId}-${seq}` });
    if (reply?.error) {
      add(refused, refusalCode(reply.error));
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
  for (const member of members) {
    member.socket.close();
  }

  const report = {
    tool: 'bench/peer/loadtest.js (socket.io-client)',
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
  };

  process.stdout.write(markdown(report));
  if (argv.json !== undefined) {
    await writeFile(argv.json, JSON.stringify(report, null, 2));
  }

  process.exit(members.length > 0 ? 0 : 1);
}

await main();
