import { sseFrame } from './realtime.controller';

describe('sseFrame', () => {
  it('serializes an event once however many streams it goes to, and frames it per stream', () => {
    let serializations = 0;
    const data = { conversation_id: 'c1', message: { seq: 7, content: 'hola\nadiós' }, toJSON: undefined as unknown };
    data.toJSON = () => {
      serializations++;
      return { conversation_id: data.conversation_id, message: data.message };
    };
    const frames = ['c1:7', 'c1:7', 'c1:7'].map((id) => sseFrame('message.created', data, id));
    expect(serializations).toBe(1);
    expect(frames[0]).toBe('id: c1:7\nevent: message.created\ndata: {"conversation_id":"c1","message":{"seq":7,"content":"hola\\nadiós"}}\n\n');
    expect(new Set(frames).size).toBe(1);
    // Another event object is serialized on its own.
    sseFrame('message.created', { ...data }, 'c1:8');
    expect(serializations).toBe(2);
  });
});
