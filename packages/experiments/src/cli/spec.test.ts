import { describe, expect, it } from 'vitest';
import { COMMAND_LIST } from './commands/index.js';
import { UsageError } from './errors.js';
import { closestMatch, formatCommandHelp, parseOptions } from './spec.js';

describe('command specs', () => {
  it('the help of every command lists exactly the options its parser accepts', () => {
    for (const command of COMMAND_LIST) {
      const help = formatCommandHelp(command);
      const listed = [...help.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]);
      expect(listed.sort(), command.name).toEqual([...Object.keys(command.options), 'help'].sort());
      for (const name of listed) {
        const spec = command.options[name!];
        const argv = spec?.type === 'string' ? [`--${name}`, 'x'] : [`--${name}`];
        // Accepted by the tokenizer (the command's own parse may still reject the value 'x').
        expect(() => parseOptions(command.options, argv, 1)).not.toThrow();
      }
    }
  });

  it('parses --name value, --name=value, short flags, -- and negative numbers as values', () => {
    const options = {
      epochs: { type: 'string', value: '<n>', help: '' },
      quiet: { type: 'boolean', short: 'q', help: '' },
    } as const;
    expect(parseOptions(options, ['--epochs', '-1', '-q'], 0)).toEqual({
      values: { epochs: '-1', quiet: true },
      positionals: [],
      help: false,
    });
    expect(parseOptions(options, ['--epochs=3', '--', '--quiet'], 1)).toEqual({
      values: { epochs: '3' },
      positionals: ['--quiet'],
      help: false,
    });
    expect(parseOptions(options, ['-h'], 0).help).toBe(true);
  });

  it.each([
    [['--epochs'], '--epochs needs a value <n>'],
    [['--epochs', '1', '--epochs', '2'], '--epochs is given twice; give it once'],
    [['--quiet=yes'], '--quiet takes no value, got "yes"'],
    [['-x'], 'unknown option -x; expected one of --epochs, --quiet'],
    [['--epoch', '1'], 'unknown option --epoch; did you mean --epochs?'],
    [['extra'], 'unexpected argument(s) "extra"; this command takes options only'],
  ])('rejects %j: %s', (argv, message) => {
    const options = {
      epochs: { type: 'string', value: '<n>', help: '' },
      quiet: { type: 'boolean', short: 'q', help: '' },
    } as const;
    expect(() => parseOptions(options, argv, 0)).toThrow(UsageError);
    expect(() => parseOptions(options, argv, 0)).toThrow(message);
  });

  it('suggests only close matches', () => {
    expect(closestMatch('epoch', ['epochs', 'seed'])).toBe('epochs');
    expect(closestMatch('colour', ['epochs', 'seed'])).toBeUndefined();
  });
});
