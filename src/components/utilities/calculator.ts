import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { ArithmeticError, evaluateArithmetic, formatResult } from './arithmetic.js';

export const calculator = defineComponent({
  type: 'CalculatorComponent',
  displayName: 'Calculator',
  description: 'Perform basic arithmetic operations on a given expression.',
  category: 'utilities',
  icon: 'calculator',
  inputs: [
    {
      name: 'expression',
      displayName: 'Expression',
      kind: 'text',
      default: '',
      inputTypes: ['Message'],
      toolMode: true,
      info: "The arithmetic expression to evaluate (e.g., '4*4*(33/22)+12-20').",
    },
  ],
  outputs: [{ name: 'result', displayName: 'Data', types: ['Data'], method: 'evaluate_expression' }],
  compute: {
    result: (ctx) => {
      const expression = String(ctx.params.expression ?? '');
      try {
        const result = formatResult(evaluateArithmetic(expression));
        ctx.log(`Calculation result: ${result}`);
        ctx.setStatus(result);
        return new Data({ result });
      } catch (error) {
        if (!(error instanceof ArithmeticError)) throw error;
        const message = error.kind === 'zero-division' ? 'Error: Division by zero' : `Invalid expression: ${error.message}`;
        ctx.setStatus(message);
        return new Data({ error: message, input: expression });
      }
    },
  },
});
