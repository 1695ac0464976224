import { InvalidArgumentError } from '@shoal/api';

/**
 * Splits one string into words as a POSIX shell would, without expanding anything (docker's --args): blanks
 * separate words; 'single quotes' keep everything; "double quotes" keep everything but \" \\ \$ \`; a backslash
 * outside quotes keeps the next character. `sh -c "echo hi"` -> ['sh', '-c', 'echo hi'].
 */
export function splitShellWords(text: string, what = '--args'): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const unterminated = (kind: string): never => {
    throw new InvalidArgumentError(`invalid ${what} "${text}": unterminated ${kind}`);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (inWord) { words.push(word); word = ''; inWord = false; }
      i++;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) unterminated('single quote');
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= text.length) unterminated('double quote');
        const c = text[i]!;
        if (c === '"') { i++; break; }
        if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) { word += text[i + 1]; i += 2; continue; }
        word += c;
        i++;
      }
    } else if (ch === '\\') {
      if (i + 1 >= text.length) unterminated('escape (a trailing backslash)');
      word += text[i + 1];
      i += 2;
    } else {
      word += ch;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
