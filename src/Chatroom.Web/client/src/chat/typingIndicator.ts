import { describeTyping, Throttle } from '../lib/typing';
import type { RoomState } from './roomState';

const typingIntervalMs = 2000;

/**
 * Typing in both directions for the open room: announces this person's typing at most every two seconds, and keeps
 * the "… is typing" line true by looking again when the next typist's entry expires.
 */
export class TypingIndicator {
  private readonly throttle: Throttle;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The open room, read each time the line is drawn (it changes between timer ticks). */
    private readonly openRoom: () => RoomState | null,
    private readonly render: (text: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.throttle = new Throttle(typingIntervalMs, now);
  }

  /** A keystroke in the composer: true when the server should hear that this person types. */
  keystroke(): boolean {
    return this.throttle.tryFire();
  }

  /** A message went out: the next keystroke announces typing again at once. */
  sent(): void {
    this.throttle.reset();
  }

  /** Draws the line for the open room and schedules the next look. */
  update(): void {
    clearTimeout(this.timer);
    const state = this.openRoom();
    if (!state) {
      this.render('');
      return;
    }
    const now = this.now();
    this.render(describeTyping(state.typing.active(now)));
    const next = state.typing.nextExpiry();
    if (next !== null) this.timer = setTimeout(() => this.update(), Math.max(50, next - now + 10));
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
