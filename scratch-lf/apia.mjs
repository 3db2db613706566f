import { DateTime, IANAZone } from 'luxon';
const z = IANAZone.create('Pacific/Apia');
for (const s of ['2011-04-01T00:00Z','2011-04-02T12:00Z','2011-04-02T20:00Z','2011-04-03T00:00Z','2011-04-03T15:00Z','2011-04-05T20:00Z','2011-04-05T21:00Z']) console.log(s, z.offset(Date.parse(s)));
const a = DateTime.fromISO('2011-04-02T09:00', { zone: 'Pacific/Apia' });
console.log(a.toISO(), a.plus({ days: 3 }).toISO(), DateTime.fromISO('2011-04-05T09:00', { zone: 'Pacific/Apia' }).toISO());
