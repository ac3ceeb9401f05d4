import { createCatalog } from '../../src/catalog/catalog.ts';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { createItemMatcher } from '../../src/catalog/item-matcher.ts';
import type { ErrandView, FlowContext, PersonView } from '../../src/conversation/flow-context.ts';

/** A FlowContext made of plain values, for unit tests of the engine and the actions (no database). */

const file = readCatalogFile('data/catalog.yaml');
export const testCatalog = createCatalog(file.items, file.categories, new Map(), file.review);
export const testMatcher = createItemMatcher(file.items, file.matching);

export const resident: PersonView = {
  id: 'p1',
  name: '刘芳',
  phone: '13900000013',
  villageCode: 'qs-lw',
  villageName: '柳湾社区',
  tags: [],
  priority: false,
};

export function fakeContext(overrides: Partial<FlowContext> = {}): FlowContext {
  return {
    now: Date.parse('2026-12-01T09:00:00+08:00'),
    identity: { channel: 'simulator', externalId: 'liu-fang' },
    person: resident,
    villages: [
      { code: 'qs-sq', name: '石桥村', townshipName: '青山镇' },
      { code: 'qs-lw', name: '柳湾社区', townshipName: '青山镇' },
    ],
    catalog: testCatalog,
    matcher: testMatcher,
    agent: { name: '孙建国', position: '委员', phone: '13800000003', hours: '9:00-17:30', photoUrl: null },
    centre: { name: '青山镇便民服务中心', phone: '0838-6200000', address: '人民路1号', hours: '8:30-17:30' },
    county: { name: '示范县', hotline: '0838-1234567' },
    myErrands: [] as ErrandView[],
    ...overrides,
  };
}
