/** One thread's part of a rate run: transitions counted and when they ran (epoch milliseconds, comparable across threads). */
export interface ThreadRun {
  transitions: number;
  startedAt: number;
  endedAt: number;
}
