#!/usr/bin/env python3
"""Splits a `perf script` dump of a Chatroom host into where its CPU went (docs/benchmarks.md, session 10).

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet <host>.dll ...    # JIT'd frames get names
    perf record -F 997 -g -p <pid> -o host.data -- sleep 12                        # in the steady state, under load
    perf script -i host.data > host.txt && bench/profile/perf-categories.py host.txt

Each sample goes to the first category whose pattern matches any frame of its stack (so order matters), else "other";
then the share of samples per thread name, and the most frequent leaf frames among the "other" samples.
"""
import collections
import re
import sys

CATEGORIES = [
    ("analysis/agents", re.compile(r"Chatroom\.(Analysis|Agents|Moderation|Guardian)|Onnx|Tokeniz|Classifier|Embedding", re.I)),
    ("hub receive (ChatHub, admission, ChatService)", re.compile(r"ChatHub|ChatService|SendAdmission|HubConnectionHandler.*Dispatch|DefaultHubDispatcher")),
    ("WebSocket send / transport", re.compile(r"WebSocketsServerTransport|ManagedWebSocket|SocketConnection\+<DoSend>|Http1OutputProducer")),
    ("WebSocket receive", re.compile(r"DoReceive|ReceiveAsync")),
    ("group fan-out / serialization", re.compile(r"SendGroup|HubLifetimeManager|SerializedHubMessage|JsonHubProtocol|WriteMessage")),
    ("Redis client", re.compile(r"StackExchange\.Redis")),
    ("GC", re.compile(r"gc_heap|GCHeap|WKS::|SVR::|GarbageCollect", re.I)),
    ("spinning or parking while waiting for work", re.compile(r"LowLevelSpinWaiter|LowLevelLifoSemaphore|sched_yield")),
]

# A sample's first line: the thread's name (may hold spaces), then its pid[/tid].
THREAD = re.compile(r"^(.*?)\s+\d+(?:/\d+)?\s")


def main(path: str) -> None:
    by_category = collections.Counter()
    by_thread = collections.Counter()
    other_leaves = collections.Counter()
    total = 0
    stack: list[str] = []
    thread = None

    def flush() -> None:
        nonlocal total
        if not stack:
            return
        total += 1
        by_thread[thread] += 1
        text = "\n".join(stack)
        for name, pattern in CATEGORIES:
            if pattern.search(text):
                by_category[name] += 1
                break
        else:
            by_category["other"] += 1
            other_leaves[stack[0][:140]] += 1

    with open(path, errors="replace") as dump:
        for line in dump:
            if not line.strip():
                flush()
                stack, thread = [], None
            elif not line.startswith((" ", "\t")):
                thread = THREAD.match(line).group(1) if THREAD.match(line) else line.split()[0]
            else:
                frame = line.strip()
                stack.append(frame.split(" ", 1)[1] if " " in frame else frame)
    flush()

    print("samples", total)
    for name, count in by_category.most_common():
        print(f"{count / total * 100:5.1f}% {name}")
    print("--- threads")
    for name, count in by_thread.most_common(10):
        print(f"{count / total * 100:5.1f}% {name}")
    print("--- most frequent leaves among other")
    for name, count in other_leaves.most_common(15):
        print(f"{count / total * 100:5.1f}% {name}")


if __name__ == "__main__":
    main(sys.argv[1])
