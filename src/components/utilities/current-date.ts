import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

/** `datetime.now(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S %Z")`. */
export function formatNow(timezone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const zone = timezone === 'UTC' || timezone === 'Etc/UTC' ? 'UTC' : part('timeZoneName');
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${zone}`;
}

export const currentDate = defineComponent({
  type: 'CurrentDate',
  displayName: 'Current Date',
  description: 'Returns the current date and time in the selected timezone.',
  category: 'utilities',
  icon: 'clock',
  inputs: [{ name: 'timezone', displayName: 'Timezone', kind: 'text', default: 'UTC', toolMode: true, info: 'Select the timezone for the current date and time.' }],
  outputs: [{ name: 'current_date', displayName: 'Current Date', types: ['Message'], method: 'get_current_date' }],
  compute: {
    current_date: (ctx) => {
      const timezone = String(ctx.params.timezone || 'UTC');
      let text: string;
      try {
        text = `Current date and time in ${timezone}: ${formatNow(timezone)}`;
      } catch {
        text = `Error: 'No time zone found with key ${timezone}'`;
      }
      ctx.setStatus(text);
      return new Message({ text });
    },
  },
});
