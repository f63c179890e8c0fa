/**
 * The reference workload's transcripts: seven spoken-style texts written for graphmeter (a
 * planning meeting, a lecture, a brainstorm, a bug triage, a product interview, a standup and a
 * voice memo), shipped as `transcripts/*.txt` beside this module. This is the one module of the
 * workload that reads files.
 *
 * @module
 */
import { countWords } from "./text.ts";

/** One transcript of the reference workload. */
export interface Transcript {
  /** Its id: the file name without `.txt`. */
  id: string;
  /** Its text. */
  text: string;
  /** Its word count. */
  words: number;
}

/** The ids of the bundled transcripts, in the order the benchmark runs them. */
export const TRANSCRIPT_IDS: readonly string[] = [
  "meeting_notes",
  "lecture",
  "brainstorm",
  "bug_triage",
  "product_interview",
  "standup",
  "voice_memo",
];

async function readBundled(id: string): Promise<string> {
  const url = new URL(`./transcripts/${id}.txt`, import.meta.url);
  if (url.protocol === "file:") return await Deno.readTextFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load transcript ${id}: HTTP ${response.status}`);
  return await response.text();
}

/**
 * Loads bundled transcripts (needs `--allow-read` when run from a local checkout).
 *
 * @param ids Which transcripts; default all of {@linkcode TRANSCRIPT_IDS}.
 * @returns The transcripts, in the order asked.
 * @throws {Error} For an id that is not bundled.
 *
 * @example Usage
 * ```ts
 * import { ok, strictEqual } from "node:assert/strict";
 * import { loadTranscripts } from "./transcripts.ts";
 *
 * const [standup] = await loadTranscripts(["standup"]);
 * strictEqual(standup.id, "standup");
 * ok(standup.words >= 300 && standup.words <= 4000);
 * ```
 */
export async function loadTranscripts(
  ids: readonly string[] = TRANSCRIPT_IDS,
): Promise<Transcript[]> {
  return await Promise.all(ids.map(async (id) => {
    if (!TRANSCRIPT_IDS.includes(id)) {
      throw new Error(`unknown transcript "${id}"; known: ${TRANSCRIPT_IDS.join(", ")}`);
    }
    const text = (await readBundled(id)).trim();
    return { id, text, words: countWords(text) };
  }));
}
