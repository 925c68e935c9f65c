import { z } from 'zod';
import { ANSWER_OUTCOMES, REFUSAL_GROUNDS } from '../conversation/terms.js';
import { freeText, nonPersonal, personal } from '../fields.js';
import { PersonSchema, TravelDocumentSchema, text } from './common.js';
import { EuropolCopySchema } from './information-request.js';

/**
 * The answer to an information request (a reply to it): the information, a refusal
 * with an Art. 6 ground, a partial answer with its reasons (and the ground for what
 * is withheld), or a request for clarification, which stops the request's clock
 * until the requester replies.
 */
export const AnswerSchema = z
  .object({
    outcome: nonPersonal(z.enum(ANSWER_OUTCOMES)),
    refusalGround: nonPersonal(z.enum(REFUSAL_GROUNDS).optional()),
    reasons: freeText(text(2000).optional(), 'why refused or partial, or the question asked; no names'),
    summary: freeText(text(4000).optional(), 'non-personal information provided'),
    europolCopy: nonPersonal(EuropolCopySchema),
    information: personal(
      z
        .object({
          persons: z.array(PersonSchema).max(20).optional(),
          travelDocuments: z.array(TravelDocumentSchema).max(20).optional(),
          records: z.array(text(2000)).max(50).optional(),
        })
        .strict()
        .optional(),
      'the personal information provided',
    ),
  })
  .strict()
  .superRefine((a, ctx) => {
    const needsGround = a.outcome === 'refusal' || a.outcome === 'partial';
    if (needsGround && !a.refusalGround)
      ctx.addIssue({ code: 'custom', path: ['refusalGround'], message: 'a refusal states its ground' });
    if (!needsGround && a.refusalGround)
      ctx.addIssue({ code: 'custom', path: ['refusalGround'], message: 'only refusals have a ground' });
    if ((a.outcome === 'partial' || a.outcome === 'clarification') && !a.reasons)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'give the reasons or the question' });
    if ((a.outcome === 'refusal' || a.outcome === 'clarification') && a.information)
      ctx.addIssue({ code: 'custom', path: ['information'], message: 'no information with this outcome' });
  });

export type Answer = z.infer<typeof AnswerSchema>;
