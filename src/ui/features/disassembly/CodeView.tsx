// A read-only Monaco editor showing a listing, with one line highlighted and
// kept in view. Its own chunk (monaco is large): imported lazily by the
// disassembly panel, so the page's first frame does not wait for it.
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { useEffect, useRef } from 'react';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

window.MonacoEnvironment ??= { getWorker: () => new EditorWorker() };

const LANGUAGE = 'rv-asm';
let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: LANGUAGE });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, {
    tokenizer: {
      root: [
        [/^[0-9a-f]{16} <[^>]+>:.*$/, 'type'],
        [/^[0-9a-f]{16}:/, 'comment'],
        [/ {2}[0-9a-f]{4,8}(?= )/, 'number.hex'],
        [/<[^>]+>/, 'type'],
        [/#.*$/, 'comment'],
        [/\b(0x[0-9a-f]+|-?\d+)\b/, 'number'],
        [/\b(zero|ra|sp|gp|tp|t[0-6]|s[0-9]|s1[01]|a[0-7]|f[tsa]\d+|f\d+)\b/, 'variable'],
        [/^ *[a-z.]+/, 'keyword'],
      ],
    },
  });
  monaco.editor.defineTheme('prnr-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'comment', foreground: '8b93a3' },
      { token: 'type', foreground: 'e3b341' },
      { token: 'number.hex', foreground: '5c6370' },
      { token: 'number', foreground: 'a5d6ff' },
      { token: 'variable', foreground: '7ee787' },
    ],
    colors: { 'editor.background': '#0a0c10', 'editor.lineHighlightBackground': '#0a0c10', 'editorGutter.background': '#0a0c10' },
  });
}

export interface CodeViewProps {
  text: string;
  /** The line to highlight and keep in view (1-based; 0: none). */
  highlightLine: number;
  /** Called once the editor shows `text` (its highlight moved too). */
  onShown(text: string): void;
}

/** The same text again (pc moved within the listing) only moves the highlight. */
export default function CodeView({ text, highlightLine, onShown }: CodeViewProps) {
  const element = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  /** The text the editor holds. */
  const shown = useRef('');

  useEffect(() => {
    if (!element.current) return;
    register();
    const instance = monaco.editor.create(element.current, {
      value: '',
      language: LANGUAGE,
      theme: 'prnr-dark',
      readOnly: true,
      domReadOnly: true,
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: true,
      folding: false,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
      fontSize: 12,
      automaticLayout: true,
      contextmenu: false,
      occurrencesHighlight: 'off',
      selectionHighlight: false,
      // What a listing does not need, and each costs a render: indent guides and whitespace measure every visible line.
      guides: { indentation: false, bracketPairs: false, highlightActiveIndentation: false },
      renderWhitespace: 'none',
      stickyScroll: { enabled: false },
      unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
      matchBrackets: 'never',
      bracketPairColorization: { enabled: false },
      links: false,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
    });
    editor.current = instance;
    decorations.current = instance.createDecorationsCollection();
    shown.current = '';
    return () => {
      editor.current = null;
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    const instance = editor.current;
    if (!instance) return;
    const replaced = shown.current !== text;
    if (replaced) {
      instance.setValue(text);
      shown.current = text;
    }
    const line = highlightLine;
    decorations.current?.set(line > 0 ? [{ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'disasm-pc-line', glyphMarginClassName: 'disasm-pc-glyph' } }] : []);
    if (line > 0 && replaced) instance.revealLineInCenter(line, monaco.editor.ScrollType.Immediate);
    else if (line > 0) instance.revealLineInCenterIfOutsideViewport(line, monaco.editor.ScrollType.Immediate);
    onShown(text);
  }, [text, highlightLine, onShown]);

  return <div className="code-view" ref={element} />;
}
