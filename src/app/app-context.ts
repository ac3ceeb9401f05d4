import type { Catalog } from '../catalog/catalog.ts';
import type { ItemMatcher } from '../catalog/item-matcher.ts';
import type { ConversationEngine } from '../conversation/engine.ts';
import type { TemplateSet } from '../conversation/templates.ts';
import type { Database } from '../db/open-database.ts';
import type { CalendarBook } from './calendar-book.ts';
import type { CatalogCache } from './catalog-cache.ts';
import type { AlertPolicy, DeadlinePolicy } from './deadline-policy.ts';
import type { Directory, DirectoryCache } from './directory.ts';

/**
 * What one turn works with — a message, a command, a mini-program form, a deadline job, a digest.
 * The roster (directory) and the catalogue are read once at the start of the turn, so a turn never
 * sees half of an edit another process made; everything else lives as long as the process. Each use
 * case asks for the part it needs as a `Pick<AppContext, ...>` (ErrandEnv, CommandEnv, AlertEnv, ...).
 */
export interface AppContext {
  database: Database;
  /** The roster: townships, villages, rooms, staff. */
  directory: Directory;
  catalog: Catalog;
  /** Finds catalogue items in a resident's words. */
  matcher: ItemMatcher;
  /** Working-day calendars by year. */
  calendars: CalendarBook;
  templates: TemplateSet;
  engine: ConversationEngine;
  deadlines: DeadlinePolicy;
  alertPolicy: AlertPolicy;
  /** The process's clock (a turn's own time is the message's or the job's). */
  clock: () => number;
  newPersonId: () => string;
  /** The bot's name in rooms ("@代办助手"). */
  botName: string;
}

/** The long-lived parts the contexts are made of: the caches stand where the context has a snapshot. */
export type AppParts = Omit<AppContext, 'directory' | 'catalog' | 'matcher'> & { directories: DirectoryCache; catalogs: CatalogCache };

/** A turn's context, read now. */
export type AppContexts = () => AppContext;

export function createAppContexts(parts: AppParts): AppContexts {
  const { directories, catalogs, ...rest } = parts;
  return () => {
    const { catalog, matcher } = catalogs.current();
    return { ...rest, directory: directories.current(), catalog, matcher };
  };
}

/** Errands a transaction changed: their deadline jobs are scheduled anew after it commits. */
export interface TouchedErrands {
  touched?: Set<number>;
}
