/** How a configuration file's problems are named: each field's path and what is wrong with it. */
import type { z } from 'zod';

export const zodProblems = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
