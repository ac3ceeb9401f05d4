import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { auth, startTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ roster: false, worker: false });
});
afterAll(async () => {
  await app.close();
});

const get = (url: string) => app.daiban.server.inject({ method: 'GET', url });

describe('the public service guide API', () => {
  it('matches words to items, best first, at most five', async () => {
    const r = await get(`/api/catalog/match?q=${encodeURIComponent('我妈身份证搞丢了')}`);
    expect(r.statusCode).toBe(200);
    const { matches } = r.json<{ matches: { id: string; name: string; category: string; score: number }[] }>();
    expect(matches[0]).toMatchObject({ id: 'resident-id-card', name: '居民身份证申领/换领/补领', category: 'household' });
    expect(matches.length).toBeLessThanOrEqual(5);
    expect(matches[0]?.score).toBeGreaterThan(0.5);
  });

  it('returns no matches for greetings and an empty query, and 400 without q', async () => {
    for (const q of ['你好', '谢谢', '', '   ']) {
      const r = await get(`/api/catalog/match?q=${encodeURIComponent(q)}`);
      expect(r.statusCode, q).toBe(200);
      expect(r.json(), q).toEqual({ matches: [] });
    }
    expect((await get('/api/catalog/match')).statusCode).toBe(400);
    expect((await get(`/api/catalog/match?q=${'a'.repeat(501)}`)).statusCode).toBe(400);
  });

  it('gives one item with all its service-guide fields and its materials', async () => {
    const r = await get('/api/catalog/items/resident-id-card');
    expect(r.statusCode).toBe(200);
    const item = r.json<Record<string, unknown> & { materials: { name: string; form: string; count: number }[]; fee: { amountYuan: number; basis: string } }>();
    for (const field of [
      'id',
      'name',
      'category',
      'aliases',
      'conditions',
      'materials',
      'fee',
      'legalBasis',
      'department',
      'promisedWorkingDays',
      'directions',
      'privacySensitive',
      'selfService',
      'inPerson',
      'version',
    ]) {
      expect(item, field).toHaveProperty(field);
    }
    expect(item.materials[0]).toMatchObject({ name: expect.any(String) as string, form: expect.any(String) as string, count: expect.any(Number) as number });
    expect(item.fee.amountYuan).toBeGreaterThan(0);
    expect(item.fee.basis).toContain('居民身份证');
    // What only the applicant can do, where, and whether staff come to the home.
    expect(item.inPerson).toEqual({
      required: true,
      steps: ['photo', 'fingerprint'],
      where: '户口所在地派出所户籍窗口',
      homeVisit: true,
      note: expect.any(String) as string,
    });
    expect((await get('/api/catalog/items/no-such-item')).statusCode).toBe(404);
  });

  it('lists the items with their categories', async () => {
    const r = await get('/api/catalog/items');
    const body = r.json<{ items: unknown[]; categories: unknown[] }>();
    expect(body.items.length).toBeGreaterThanOrEqual(30);
    expect(body.categories).toHaveLength(14);
  });
});

describe('editing the catalogue', () => {
  const item = readCatalogFile('data/catalog.yaml').items.find((i) => i.id === 'parcel-collection-delivery');

  it('replaces an item, bumps its version and serves the new text at once', async () => {
    const edited = { ...item, notes: ['每周二、五下午集中代寄'], aliases: [...(item?.aliases ?? []), '寄土特产'] };
    const r = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/catalog/items/parcel-collection-delivery', headers: auth, payload: edited });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ version: 2, created: false });
    const after = (await get('/api/catalog/items/parcel-collection-delivery')).json<{ notes: string[]; version: number }>();
    expect(after).toMatchObject({ notes: ['每周二、五下午集中代寄'], version: 2 });
    const m = (await get(`/api/catalog/match?q=${encodeURIComponent('寄土特产')}`)).json<{ matches: { id: string }[] }>();
    expect(m.matches[0]?.id).toBe('parcel-collection-delivery');
  });

  it('keeps an edited item’s needs and finds the item from them at once', async () => {
    const stored = (await get('/api/catalog/items/parcel-collection-delivery')).json<{ needs: string[] }>();
    expect(stored.needs).toEqual(item?.needs);
    const edited = { ...item, needs: [...(item?.needs ?? []), '年货 带给 城里的亲戚'] };
    const r = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/catalog/items/parcel-collection-delivery', headers: auth, payload: edited });
    expect(r.statusCode).toBe(200);
    expect((await get('/api/catalog/items/parcel-collection-delivery')).json<{ needs: string[] }>().needs).toEqual(edited.needs);
    const m = (await get(`/api/catalog/match?q=${encodeURIComponent('过年了想把年货带给城里的亲戚')}`)).json<{ matches: { id: string }[] }>();
    expect(m.matches[0]?.id).toBe('parcel-collection-delivery');
  });

  it('keeps structured in-person steps and a department’s review body through an edit', async () => {
    const edited = {
      ...item,
      inPerson: { required: true, steps: ['signature'], where: '村级寄递物流综合服务站', homeVisit: false },
      department: { ...item?.department, reviewBody: '县邮政管理局', reviewable: true },
    };
    const r = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/catalog/items/parcel-collection-delivery', headers: auth, payload: edited });
    expect(r.statusCode).toBe(200);
    const stored = (await get('/api/catalog/items/parcel-collection-delivery')).json<{ inPerson: unknown; department: unknown }>();
    expect(stored.inPerson).toEqual(edited.inPerson);
    expect(stored.department).toMatchObject({ reviewBody: '县邮政管理局', reviewable: true });
    const restored = await app.daiban.server.inject({
      method: 'PUT',
      url: '/api/admin/catalog/items/parcel-collection-delivery',
      headers: auth,
      payload: item,
    });
    expect(restored.statusCode).toBe(200);
  });

  it('refuses in-person steps without a place, or steps on an item that needs nobody in person (422)', async () => {
    for (const inPerson of [
      { required: true, steps: ['photo'] },
      { required: true, steps: [], where: '派出所' },
      { required: false, steps: ['photo'] },
      { required: true, steps: ['dance'], where: '派出所' },
    ]) {
      const r = await app.daiban.server.inject({
        method: 'PUT',
        url: '/api/admin/catalog/items/parcel-collection-delivery',
        headers: auth,
        payload: { ...item, inPerson },
      });
      expect(r.statusCode, JSON.stringify(inPerson)).toBe(422);
      expect(r.body).toContain('inPerson');
    }
  });

  it('refuses an invalid item with 422 and every problem, and needs the admin token', async () => {
    const r = await app.daiban.server.inject({
      method: 'PUT',
      url: '/api/admin/catalog/items/parcel-collection-delivery',
      headers: auth,
      payload: { ...item, fee: { amountYuan: -1 }, materials: [{ name: '' }] },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json<{ details: { problems: string[] } }>().details.problems.length).toBeGreaterThan(2);
    const mismatch = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/catalog/items/other-id', headers: auth, payload: item });
    expect(mismatch.statusCode).toBe(422);
    const anonymous = await app.daiban.server.inject({ method: 'PUT', url: '/api/admin/catalog/items/parcel-collection-delivery', payload: item });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps an item’s situations and refuses a material for a situation the item does not have', async () => {
    const card = readCatalogFile('data/catalog.yaml').items.find((i) => i.id === 'social-security-card');
    const served = (await get('/api/catalog/items/social-security-card')).json<{
      situations: { id: string }[];
      materials: { name: string; situations: string[] | null }[];
    }>();
    expect(served.situations.map((s) => s.id)).toEqual(['first', 'lost', 'damaged']);
    expect(served.materials.find((m) => m.name === '原社会保障卡')?.situations).toEqual(['damaged']);
    const materials = (card?.materials ?? []).map((m) => (m.name === '原社会保障卡' ? { ...m, situations: ['broken'] } : m));
    const r = await app.daiban.server.inject({
      method: 'PUT',
      url: '/api/admin/catalog/items/social-security-card',
      headers: auth,
      payload: { ...card, materials },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json<{ details: { problems: string[] } }>().details.problems).toEqual([
      'materials.3.situations: no situation "broken" in this item\'s situations',
    ]);
    const one = await app.daiban.server.inject({
      method: 'PUT',
      url: '/api/admin/catalog/items/social-security-card',
      headers: auth,
      payload: { ...card, situations: card?.situations.slice(0, 1) },
    });
    expect(one.statusCode).toBe(422);
  });
});
