/** One generated file: a path relative to the output folder and its full text. */
export interface Artifact {
  path: string;
  content: string;
}
