import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CatalogCache } from '../../app/catalog-cache.ts';
import { catalogItemSchema } from '../../catalog/catalog-schema.ts';
import { upsertCatalogItem } from '../../db/catalog-repository.ts';
import type { Database } from '../../db/open-database.ts';
import { AppError } from '../../errors.ts';
import type { AdminGuard } from '../admin-auth.ts';
import { invalidInput } from '../zod-validation.ts';

/**
 * The public service guide (公开原则): GET /api/catalog/match?q=, /api/catalog/items and
 * /api/catalog/items/<id>; and the admin's edit, PUT /api/admin/catalog/items/<id>.
 */
export function registerCatalogRoutes(
  app: FastifyInstance,
  deps: { database: Database; catalogs: CatalogCache; requireAdmin: AdminGuard; clock: () => number },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const matchQuery = z.object({ q: z.string({ error: 'q: the words to match are required' }).max(500, 'q: at most 500 characters') });

  const itemParams = z.object({ id: z.string() });

  routes.get('/api/catalog/match', { schema: { querystring: matchQuery } }, async (request) => {
    const { q } = request.query;
    return { matches: deps.catalogs.current().matcher.match(q, 5) };
  });

  routes.get('/api/catalog/items', async () => {
    const { catalog } = deps.catalogs.current();
    return {
      categories: catalog.categories,
      items: catalog.items.map((i) => ({ id: i.id, name: i.name, category: i.category, categoryName: catalog.categoryName(i.category) })),
    };
  });

  routes.get('/api/catalog/items/:id', { schema: { params: itemParams } }, async (request) => {
    const { catalog } = deps.catalogs.current();
    const item = catalog.get(request.params.id);
    if (!item) throw new AppError('not_found', `no catalogue item ${request.params.id}`);
    return {
      ...item,
      materials: item.materials.map((m) => ({
        name: m.name,
        form: m.form,
        count: m.count,
        when: m.when ?? null,
        situations: m.situations ?? null,
        notes: m.notes ?? null,
      })),
      categoryName: catalog.categoryName(item.category),
      version: catalog.versionOf(item.id),
      agencyFee: 0,
    };
  });

  const adminEdit = {
    schema: { params: itemParams, body: catalogItemSchema },
    preValidation: deps.requireAdmin,
    schemaErrorFormatter: invalidInput({ code: 'invalid_catalog_item' }),
  };
  routes.put('/api/admin/catalog/items/:id', adminEdit, async (request) => {
    const item = request.body;
    if (item.id !== request.params.id) throw new AppError('invalid_catalog_item', `the body's id ${item.id} is not ${request.params.id}`);
    const { catalog } = deps.catalogs.current();
    if (!catalog.categories.some((c) => c.code === item.category)) throw new AppError('invalid_catalog_item', `unknown category ${item.category}`);
    const saved = upsertCatalogItem(deps.database, item, deps.clock());
    return { id: item.id, version: saved.version, created: saved.created };
  });
}
