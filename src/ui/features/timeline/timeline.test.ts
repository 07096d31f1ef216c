import { describe, expect, it } from 'vitest';
import { after, before, tickForKey, type TimelineMarks } from './keys';
import { clampView, follow, fractionOf, MIN_SPAN, panBy, rulerLabel, rulerTicks, tickAt, wholeView, zoomAt } from './view';

const marks: TimelineMarks = { endTick: 1000n, snapshotTicks: [0n, 300n, 600n, 900n, 1000n], outputTicks: [10n, 250n, 251n, 700n] };

describe('timeline keys', () => {
  it('finds the neighbours in a sorted list', () => {
    expect(before(marks.outputTicks, 251n)).toBe(250n);
    expect(before(marks.outputTicks, 10n)).toBeUndefined();
    expect(after(marks.outputTicks, 250n)).toBe(251n);
    expect(after(marks.outputTicks, 700n)).toBeUndefined();
  });

  it('steps one tick, clamped to the recording', () => {
    expect(tickForKey('ArrowRight', false, 5n, marks)).toBe(6n);
    expect(tickForKey('ArrowLeft', false, 5n, marks)).toBe(4n);
    expect(tickForKey('ArrowLeft', false, 0n, marks)).toBe(0n);
    expect(tickForKey('ArrowRight', false, 1000n, marks)).toBe(1000n);
  });

  it('jumps to the previous and next console write with Shift, to the ends past the last', () => {
    expect(tickForKey('ArrowRight', true, 10n, marks)).toBe(250n);
    expect(tickForKey('ArrowLeft', true, 700n, marks)).toBe(251n);
    expect(tickForKey('ArrowRight', true, 700n, marks)).toBe(1000n);
    expect(tickForKey('ArrowLeft', true, 10n, marks)).toBe(0n);
  });

  it('jumps to the nearer of the console writes and syscall entries once analysed', () => {
    const analysed = { ...marks, syscallTicks: [100n, 260n, 800n] };
    expect(tickForKey('ArrowRight', true, 10n, analysed)).toBe(100n);
    expect(tickForKey('ArrowRight', true, 251n, analysed)).toBe(260n);
    expect(tickForKey('ArrowRight', true, 700n, analysed)).toBe(800n);
    expect(tickForKey('ArrowLeft', true, 700n, analysed)).toBe(260n);
    expect(tickForKey('ArrowLeft', true, 100n, analysed)).toBe(10n);
  });

  it('moves by slice with PageUp/PageDown, and to the ends with Home/End', () => {
    expect(tickForKey('PageDown', false, 300n, marks)).toBe(600n);
    expect(tickForKey('PageDown', false, 301n, marks)).toBe(600n);
    expect(tickForKey('PageUp', false, 301n, marks)).toBe(300n);
    expect(tickForKey('PageUp', false, 300n, marks)).toBe(0n);
    expect(tickForKey('Home', false, 500n, marks)).toBe(0n);
    expect(tickForKey('End', false, 500n, marks)).toBe(1000n);
    expect(tickForKey('a', false, 500n, marks)).toBeUndefined();
  });
});

describe('timeline view', () => {
  const end = 66_741_933n;

  it('shows the whole recording and maps fractions to ticks and back', () => {
    const view = wholeView(end);
    expect(tickAt(view, 0, end)).toBe(0n);
    expect(tickAt(view, 1, end)).toBe(end);
    expect(fractionOf(view, tickAt(view, 0.25, end))).toBeCloseTo(0.25, 6);
  });

  it('zooms in around the anchor down to single instructions, and back out to the whole', () => {
    let view = wholeView(end);
    const anchorTick = tickAt(view, 0.3, end);
    for (let i = 0; i < 60; i++) view = zoomAt(view, 0.5, 0.3, end);
    expect(view.span).toBe(MIN_SPAN);
    expect(Math.abs(Number(tickAt(view, 0.3, end) - anchorTick))).toBeLessThanOrEqual(1);
    for (let i = 0; i < 60; i++) view = zoomAt(view, 2, 0.3, end);
    expect(view).toEqual(wholeView(end));
  });

  it('pans within the recording and follows the playhead', () => {
    const view = clampView({ start: 1000, span: 100 }, end);
    expect(panBy(view, -100, end).start).toBe(0);
    expect(panBy(view, 1e9, end).start).toBe(Number(end) + 1 - 100);
    expect(follow(view, 1050n, end)).toBe(view);
    expect(fractionOf(follow(view, 5000n, end), 5000n)).toBeCloseTo(0.5);
  });

  it('labels the ruler at round steps', () => {
    expect(rulerTicks({ start: 0, span: 1000 }, 1100)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(rulerTicks({ start: 5, span: 20 }, 1100)).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    // Labels as precise as the step: whole recording, then zoomed in to hundreds and to single ticks.
    expect(rulerLabel(60_000_000, 10_000_000)).toBe('60M');
    expect(rulerLabel(0, 10_000_000)).toBe('0');
    expect(rulerLabel(66_500_000, 100_000)).toBe('66.5M');
    expect(rulerLabel(66_520_000, 10_000)).toBe('66.52M');
    expect(rulerLabel(66_521_000, 1_000)).toBe('66,521k');
    expect(rulerLabel(66_500_010, 2)).toBe('66,500,010');
  });
});
