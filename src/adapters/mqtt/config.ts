// Target options of the MQTT adapter (mqtt.js).
import { proxied } from '../../ports.js';
import { z } from 'zod';
import { duration } from '../../scenario/fields.js';

export const mqttTarget = z.strictObject({
  adapter: z.literal('mqtt'),
  url: z
    .string()
    .regex(/^mqtts?:\/\//, 'an mqtt:// URL')
    .default(`mqtt://${proxied('mosquitto')}`)
    .meta({ description: 'the default goes through the local Toxiproxy' }),
  proxy: z.string().optional().meta({ description: 'the Toxiproxy proxy that network faults act on' }),
  topic: z
    .string()
    .regex(/^[^#+]+$/, 'a topic prefix without wildcards')
    .optional()
    .meta({ description: 'default: a unique prefix per run; events go to <prefix>/<key>' }),
  qos: z
    .union([z.literal(0), z.literal(1), z.literal(2)])
    .default(1)
    .meta({ description: 'QoS 0 sends are never acknowledged: they count as indeterminate' }),
  clean: z.boolean().default(false).meta({ description: 'false (default): persistent sessions, so a consumer that reconnects gets what was published meanwhile (cleared after the run); true: clean sessions, which lose messages published while a consumer is disconnected' }),
  keepalive: duration().default(5000),
  requestTimeout: duration().default(10_000),
});
export type MqttTarget = z.output<typeof mqttTarget>;
