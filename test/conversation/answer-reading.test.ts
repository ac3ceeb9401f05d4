import { describe, expect, it } from 'vitest';
import { isAcknowledgement } from '../../src/conversation/acknowledgement-reading.ts';
import { isStory, readComplaintType } from '../../src/conversation/complaint-reading.ts';
import { readResidence } from '../../src/conversation/residence-reading.ts';

describe('the complaint type from a story', () => {
  it.each([
    ['代办员收了我50块钱跑路费', 'extra_fee'],
    ['他找我要红包', 'extra_fee'],
    ['又让我交一堆材料', 'added_obligation'],
    ['要我去开个证明', 'added_obligation'],
    ['一个多月了还没办好', 'overdue'],
    ['拖了好久', 'overdue'],
    ['叫了几次都不来收材料', 'shirking'],
    ['推来推去', 'shirking'],
    ['态度很差', null],
  ])('%s → %s', (story, type) => {
    expect(readComplaintType(story)).toBe(type);
  });

  it('tells a story from a stray word', () => {
    expect(isStory('他说话很难听')).toBe(true);
    expect(isStory('啊')).toBe(false);
    expect(isStory('3个')).toBe(false);
  });
});

describe('where a resident lives', () => {
  it.each([
    ['在广东打工', 'away'],
    ['在深圳', 'away'],
    ['在成都上班', 'away'],
    ['出去打工了', 'away'],
    ['乌鲁木齐', 'away'],
    ['在屋头', 'home'],
    ['住村里', 'home'],
    ['在家种地', 'home'],
    ['没出去', 'home'],
    ['在屋头带娃，老公在广东打工', null],
    ['不晓得', null],
  ])('%s → %s', (text, living) => {
    expect(readResidence(text)).toBe(living);
  });
});

describe('an acknowledgement', () => {
  it.each(['好', '好的', '嗯', '是', '晓得了', 'ok', 'OK', '👌', '👍🏻', '收到', '好的知道了', '晓得了谢谢', '没问题', '好的👌'])('%s acknowledges', (text) => {
    expect(isAcknowledgement(text)).toBe(true);
  });

  it.each(['不晓得', '没看懂', '好的，材料我都有', '😀', '', '谢谢'])('%j does not', (text) => {
    expect(isAcknowledgement(text)).toBe(false);
  });
});
