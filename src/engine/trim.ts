/**
 * Trimming a repeated character off the ends of a string in linear time. The regular expressions this
 * replaces (`/\/+$/`, `/^_+|_+$/g`) retry from every position of a long run that is not at the end,
 * which is quadratic on crafted input (eslint `regexp/no-super-linear-move`).
 */
export function trimEndChar(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

export function trimChar(text: string, char: string): string {
  let start = 0;
  while (start < text.length && text[start] === char) start += 1;
  return trimEndChar(text.slice(start), char);
}
