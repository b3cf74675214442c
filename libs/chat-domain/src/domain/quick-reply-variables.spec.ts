import { renderQuickReply, unknownQuickReplyVariables } from './quick-reply-variables';

describe('quick reply variables', () => {
  const values = { 'candidato.nombre': 'Carla', 'candidato.usuario': 'candidato1', 'agente.nombre': 'Sofía', 'conversacion.asunto': null };

  it('fills every known variable, spaces inside the braces allowed, missing values as empty text', () => {
    expect(renderQuickReply('Hola {{candidato.nombre}} ({{ candidato.usuario }}), soy {{agente.nombre}}. Asunto: "{{conversacion.asunto}}"', values)).toBe(
      'Hola Carla (candidato1), soy Sofía. Asunto: ""',
    );
  });

  it('names each unknown variable once; single braces and plain text are not variables', () => {
    expect(unknownQuickReplyVariables('{{candidato.correo}} {x} {{ candidato.correo }} {{}} {{agente.nombre}}')).toEqual(['candidato.correo', '']);
    expect(unknownQuickReplyVariables('Sin variables { } }}')).toEqual([]);
  });
});
