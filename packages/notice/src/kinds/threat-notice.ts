import { z } from 'zod';
import { freeText, nonPersonal } from '../fields.js';
import { CRIME_AREAS } from '../markings.js';
import { country, instant, text } from './common.js';

/** A strategic threat notice: usually no personal data, so it can reach strategic partners. */
export const ThreatNoticeSchema = z
  .object({
    threatCategory: nonPersonal(z.enum(CRIME_AREAS)),
    title: freeText(text(200)),
    assessment: freeText(text(8000)),
    indicators: freeText(z.array(text(500)).max(50).optional()),
    routes: nonPersonal(
      z
        .array(
          z
            .object({
              from: country,
              to: country,
              via: z.array(country).max(10).optional(),
              mode: z.enum(['air', 'sea', 'road', 'rail', 'post', 'mixed']),
            })
            .strict(),
        )
        .max(50)
        .optional(),
    ),
    affectedRegions: nonPersonal(z.array(text(100)).max(50).optional()),
    statistics: nonPersonal(
      z
        .array(z.object({ label: text(200), value: z.number(), period: text(50).optional() }).strict())
        .max(100)
        .optional(),
    ),
    validUntil: nonPersonal(instant.optional()),
  })
  .strict();

export type ThreatNotice = z.infer<typeof ThreatNoticeSchema>;
