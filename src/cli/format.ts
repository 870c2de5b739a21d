/** Terminal colour, only when writing to a terminal and NO_COLOR is unset (https://no-color.org). */
const enabled = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;

function paint(code: number, stream: NodeJS.WriteStream) {
  return (text: string) => (enabled(stream) ? `\x1b[${code}m${text}\x1b[0m` : text);
}

export const colour = (stream: NodeJS.WriteStream = process.stdout) => ({
  bold: paint(1, stream),
  dim: paint(2, stream),
  red: paint(31, stream),
  green: paint(32, stream),
  yellow: paint(33, stream),
  cyan: paint(36, stream),
});
