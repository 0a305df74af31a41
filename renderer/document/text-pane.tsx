/**
 * The JSON / text format pane (Monaco). Shows the message as proto3 JSON or text format;
 * edits apply to the document after a pause (or Ctrl+Enter), errors are shown inline;
 * completion offers the fields of the message type at the cursor.
 */
import { useEffect, useRef, useState } from 'react';
import type { DocumentSummary, FieldInfo, NodePath } from '../../core/api/contract';
import { api, whenQuiet } from '../host/bridge';
import { monaco } from './monaco-setup';
import { jsonContext } from './json-path';
import { errorText } from '../shared/util';

interface Props {
  docId: string;
  message: number;
  version: number;
  typeName: string | null;
  /** The node selected in the tree: revealed and marked in the JSON. */
  selected: NodePath | null;
  onSummary: (s: DocumentSummary) => void;
  /** The message's size when it is too big to show as text unasked (0: show it at once). */
  largeBytes: number;
}

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

/** Completion: the fields of the type at the cursor, resolved through describeType. */
let completionContext: { typeName: string | null } = { typeName: null };
const describeCache = new Map<string, Promise<FieldInfo[]>>();
const describe = (t: string) => {
  let p = describeCache.get(t);
  if (!p) {
    p = api.describeType({ typeName: t });
    describeCache.set(t, p);
  }
  return p;
};
let registered = false;
function registerCompletion(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('json', {
    triggerCharacters: ['"'],
    async provideCompletionItems(model, position) {
      const root = completionContext.typeName;
      if (!root) return { suggestions: [] };
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const ctx = jsonContext(before);
      let type = root;
      for (const key of ctx.path) {
        const f = (await describe(type)).find((x) => x.jsonName === key || x.name === key);
        if (!f?.messageType) return { suggestions: [] };
        type = f.messageType;
      }
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      const fields = await describe(type);
      if (!ctx.atKey) {
        // Value position: enum names of the field being written.
        const m = /"([^"]+)"\s*:\s*"?[\w]*$/.exec(before);
        const f = m ? fields.find((x) => x.jsonName === m[1] || x.name === m[1]) : undefined;
        return {
          suggestions: (f?.enumValues ?? []).map((v) => ({
            label: v,
            kind: monaco.languages.CompletionItemKind.EnumMember,
            insertText: v,
            range,
          })),
        };
      }
      return {
        suggestions: fields.map((f) => ({
          label: f.jsonName,
          kind: monaco.languages.CompletionItemKind.Field,
          detail: `${f.repeated ? 'repeated ' : ''}${f.type} = ${f.number}`,
          insertText: f.jsonName,
          range,
        })),
      };
    },
  });
}

/** The pane. */
export function TextPane({ docId, message, version, typeName, selected, onSummary, largeBytes }: Props) {
  const [format, setFormat] = useState<'json' | 'text'>('json');
  /** A large message's text is loaded only once the user asks for it. */
  const [asked, setAsked] = useState(false);
  const shown = !largeBytes || asked;
  const [status, setStatus] = useState<{ text: string; error: boolean }>({ text: '', error: false });
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const ownVersion = useRef<number | null>(null);
  const settingText = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const apply = useRef<() => void>(() => undefined);

  completionContext = { typeName };

  // Monaco (a hundred ms or more of set-up) is created once the page is quiet: a dropped file's
  // tree or message list, and the data they asked for, show first. The effects below run again
  // once it is `ready`.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let dispose: (() => void) | null = null;
    const cancelWait = whenQuiet(() => {
      dispose = createEditor();
      setReady(true);
    });
    const createEditor = () => {
      registerCompletion();
      const ed = monaco.editor.create(host.current!, {
        value: '',
        language: 'json',
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 12,
        scrollBeyondLastLine: false,
        theme: dark() ? 'vs-dark' : 'vs',
        tabSize: 2,
        wordWrap: 'on',
      });
      editor.current = ed;
      const mq = window.matchMedia('(prefers-color-scheme: dark)');
      const onTheme = () => monaco.editor.setTheme(mq.matches ? 'vs-dark' : 'vs');
      mq.addEventListener('change', onTheme);
      ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => apply.current());
      const sub = ed.onDidChangeModelContent(() => {
        if (settingText.current) return;
        if (timer.current) clearTimeout(timer.current);
        setStatus({ text: 'editing… (applies after a pause, or Ctrl+Enter)', error: false });
        timer.current = setTimeout(() => apply.current(), 800);
      });
      return () => {
        sub.dispose();
        mq.removeEventListener('change', onTheme);
        ed.dispose();
        editor.current = null;
      };
    };
    return () => {
      cancelWait();
      dispose?.();
    };
  }, []);

  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    monaco.editor.setModelLanguage(ed.getModel()!, format === 'json' ? 'json' : 'plaintext');
  }, [format, ready]);

  // Load the text when the document changes (not when the change came from this pane).
  useEffect(() => {
    if (ownVersion.current === version || !shown || !ready) return;
    let live = true;
    void api.getText({ docId, message, format }).then((r) => {
      const ed = editor.current;
      if (!live || !ed) return;
      settingText.current = true;
      const pos = ed.getPosition();
      ed.setValue(r.error ? '' : r.text);
      if (pos) ed.setPosition(pos);
      settingText.current = false;
      monaco.editor.setModelMarkers(ed.getModel()!, 'protodesk', []);
      setStatus(r.error ? { text: r.error, error: true } : { text: '', error: false });
    });
    return () => {
      live = false;
    };
  }, [docId, message, version, format, shown, ready]);

  // The tree's selection, shown in the JSON: reveal its line and mark it.
  const marks = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const selectedKey = selected?.join('.') ?? '';
  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    marks.current ??= ed.createDecorationsCollection();
    if (!selected || format !== 'json' || !shown) {
      marks.current.clear();
      return;
    }
    let live = true;
    void api.jsonPosition({ docId, message, path: selected }).then((p) => {
      if (!live || !p) return marks.current?.clear();
      ed.revealLineInCenterIfOutsideViewport(p.line);
      marks.current?.set([
        { range: new monaco.Range(p.line, 1, p.line, 1), options: { isWholeLine: true, className: 'json-selected-line' } },
      ]);
    });
    return () => {
      live = false;
    };
    // selectedKey stands for selected's content
  }, [docId, message, version, format, selectedKey, shown, ready]);

  apply.current = async () => {
    const ed = editor.current;
    if (!ed) return;
    if (timer.current) clearTimeout(timer.current);
    try {
      const r = await api.setText({ docId, message, format, text: ed.getValue() });
      const model = ed.getModel()!;
      monaco.editor.setModelMarkers(
        model,
        'protodesk',
        r.errors.map((e) => ({
          severity: monaco.MarkerSeverity.Error,
          message: e.message,
          startLineNumber: e.line,
          startColumn: e.column,
          endLineNumber: e.line,
          endColumn: Math.max(e.column + 1, model.getLineMaxColumn(e.line)),
        })),
      );
      if (r.ok) {
        ownVersion.current = r.summary.version;
        onSummary(r.summary);
        setStatus({ text: 'applied', error: false });
      } else setStatus({ text: r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; '), error: true });
    } catch (e) {
      setStatus({ text: errorText(e), error: true });
    }
  };

  return (
    <div className="text-pane">
      <div className="pane-title">
        <button className={format === 'json' ? 'on' : ''} onClick={() => setFormat('json')}>
          JSON
        </button>
        <button className={format === 'text' ? 'on' : ''} onClick={() => setFormat('text')}>
          Text format
        </button>
        <button onClick={() => apply.current()} title="Apply (Ctrl+Enter)" data-testid="apply-text">
          Apply
        </button>
        <span className={`text-status ${status.error ? 'error-text' : 'muted'}`} data-testid="text-status">
          {status.text}
        </span>
      </div>
      {!shown && (
        <div className="text-large muted" data-testid="text-large">
          This message is {(largeBytes / (1024 * 1024)).toFixed(1)} MB: its {format === 'json' ? 'JSON' : 'text format'} takes a while to
          build and is not shown unasked. <button onClick={() => setAsked(true)}>Show it</button>
        </div>
      )}
      <div className="monaco-host" ref={host} data-testid="text-editor" />
    </div>
  );
}
