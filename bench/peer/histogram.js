// Latencies in microseconds: exact below 128 µs, then 64 buckets per power of two (≤ 1.6 % error).
// The same structure as bench/Chatroom.LoadTest/LatencyHistogram.cs, so both drivers report alike.
const EXACT = 128;
const SUB_BUCKETS = 64;
const BUCKETS = EXACT + (63 - 7) * SUB_BUCKETS;

export class LatencyHistogram {
  #counts = new Float64Array(BUCKETS);
  #count = 0;
  #maxMicroseconds = 0;

  get count() {
    return this.#count;
  }

  /** Records a latency given in milliseconds. */
  record(milliseconds) {
    const microseconds = Math.max(0, Math.floor(milliseconds * 1000));
    this.#counts[index(microseconds)] += 1;
    this.#count += 1;
    if (microseconds > this.#maxMicroseconds) {
      this.#maxMicroseconds = microseconds;
    }
  }

  /** p50, p90, p99 and max in milliseconds (a percentile is its bucket's lower bound); zeros when empty. */
  summarise() {
    const total = this.#count;
    if (total === 0) {
      return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    }

    const percentile = (q) => {
      const rank = Math.ceil(q * total);
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += this.#counts[i];
        if (seen >= rank) {
          return lowerBound(i) / 1000;
        }
      }

      return lowerBound(BUCKETS - 1) / 1000;
    };

    return { count: total, p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: this.#maxMicroseconds / 1000 };
  }
}

function index(microseconds) {
  if (microseconds < EXACT) {
    return microseconds;
  }

  const exponent = Math.floor(Math.log2(microseconds));
  const top = Math.floor(microseconds / 2 ** (exponent - 6));
  return Math.min(BUCKETS - 1, EXACT + (exponent - 7) * SUB_BUCKETS + (top - SUB_BUCKETS));
}

function lowerBound(i) {
  if (i < EXACT) {
    return i;
  }

  const exponent = 7 + Math.floor((i - EXACT) / SUB_BUCKETS);
  const top = SUB_BUCKETS + ((i - EXACT) % SUB_BUCKETS);
  return top * 2 ** (exponent - 6);
}
