namespace Millrace.Core.Expressions;

/// <summary>
/// Recursive-descent parser. Precedence, lowest first: <c>?:</c> (right), <c>or ||</c>, <c>and &amp;&amp;</c>,
/// prefix <c>not !</c>, <c>== !=</c>, <c>&lt; &lt;= &gt; &gt;= in, not in</c>, <c>+ -</c>, <c>* / %</c>, prefix <c>-</c>,
/// then postfix <c>.name</c>, <c>[index]</c> and calls. Binary operators are left-associative.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly int _maxDepth;
    private int _position;
    private int _nesting;

    private Parser(string text, List<Token> tokens, int maxDepth)
    {
        _text = text;
        _tokens = tokens;
        _maxDepth = maxDepth;
    }

    /// <summary>Parses a whole expression or throws <see cref="ExpressionException"/>.</summary>
    public static SyntaxNode Parse(string text, ExpressionOptions options)
    {
        if (text.Length > options.MaxLength)
            throw new ExpressionException(options.MaxLength + 1, text.Length - options.MaxLength,
                $"expression is too long ({text.Length} characters; the limit is {options.MaxLength})");
        var parser = new Parser(text, Lexer.Tokenize(text), options.MaxDepth);
        if (parser.Current.Kind == TokenKind.End)
            throw new ExpressionException(1, text.Length, "expression is empty");
        var root = parser.ParseConditional();
        if (parser.Current.Kind != TokenKind.End)
            throw parser.ErrorAt(parser.Current, $"expected an operator or the end of the expression, found {parser.Describe(parser.Current)}");
        return root;
    }

    private Token Current => _tokens[_position];
    private Token Peek(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];
    private Token Advance() => _tokens[_position++];

    private SyntaxNode ParseConditional()
    {
        Enter();
        var condition = ParseOr();
        if (Current.Kind == TokenKind.Question)
        {
            Advance();
            var whenTrue = ParseConditional();
            Expect(TokenKind.Colon, "':' of the conditional '? :'");
            var whenFalse = ParseConditional();
            condition = Checked(new ConditionalNode(condition, whenTrue, whenFalse));
        }
        _nesting--;
        return condition;
    }

    private SyntaxNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind is TokenKind.Or or TokenKind.PipePipe)
        {
            var op = Advance();
            left = Checked(new BinaryNode(left, op.Start, op.Length, Operator.Or, ParseAnd()));
        }
        return left;
    }

    private SyntaxNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.Kind is TokenKind.And or TokenKind.AmpAmp)
        {
            var op = Advance();
            left = Checked(new BinaryNode(left, op.Start, op.Length, Operator.And, ParseNot()));
        }
        return left;
    }

    // 'not' binds looser than comparisons: not a == b means not (a == b).
    private SyntaxNode ParseNot()
    {
        if (Current.Kind is not (TokenKind.Not or TokenKind.Bang)) return ParseEquality();
        var op = Advance();
        Enter();
        var operand = ParseNot();
        _nesting--;
        return Checked(new UnaryNode(op.Start, op.Length, Operator.Not, operand));
    }

    private SyntaxNode ParseEquality()
    {
        var left = ParseRelational();
        while (Current.Kind is TokenKind.EqualEqual or TokenKind.BangEqual)
        {
            var op = Advance();
            var kind = op.Kind == TokenKind.EqualEqual ? Operator.Equal : Operator.NotEqual;
            left = Checked(new BinaryNode(left, op.Start, op.Length, kind, ParseRelational()));
        }
        return left;
    }

    private SyntaxNode ParseRelational()
    {
        var left = ParseAdditive();
        while (true)
        {
            var kind = Current.Kind switch
            {
                TokenKind.Less => Operator.Less,
                TokenKind.LessEqual => Operator.LessEqual,
                TokenKind.Greater => Operator.Greater,
                TokenKind.GreaterEqual => Operator.GreaterEqual,
                _ => (Operator?)null,
            };
            if (kind is { } k)
            {
                var op = Advance();
                left = Checked(new BinaryNode(left, op.Start, op.Length, k, ParseAdditive()));
            }
            else if (Current.Kind == TokenKind.In || (Current.Kind == TokenKind.Not && Peek(1).Kind == TokenKind.In))
            {
                var first = Advance();
                var negated = first.Kind == TokenKind.Not;
                var last = negated ? Advance() : first;
                left = ParseList(left, first.Start, last.Start + last.Length - first.Start, negated);
            }
            else return left;
        }
    }

    private SyntaxNode ParseList(SyntaxNode value, int operatorStart, int operatorLength, bool negated)
    {
        Expect(TokenKind.LeftBracket, "'[' to start the list after 'in'");
        Enter();
        var items = new List<SyntaxNode>();
        if (Current.Kind != TokenKind.RightBracket)
        {
            items.Add(ParseConditional());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                items.Add(ParseConditional());
            }
        }
        var close = Expect(TokenKind.RightBracket, "',' or ']'");
        _nesting--;
        return Checked(new InNode(value, operatorStart, operatorLength, negated, items, close.Start + 1));
    }

    private SyntaxNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var kind = op.Kind == TokenKind.Plus ? Operator.Add : Operator.Subtract;
            left = Checked(new BinaryNode(left, op.Start, op.Length, kind, ParseMultiplicative()));
        }
        return left;
    }

    private SyntaxNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var kind = op.Kind switch
            {
                TokenKind.Star => Operator.Multiply,
                TokenKind.Slash => Operator.Divide,
                _ => Operator.Modulo,
            };
            left = Checked(new BinaryNode(left, op.Start, op.Length, kind, ParseUnary()));
        }
        return left;
    }

    private SyntaxNode ParseUnary()
    {
        // '!'/'not' in operand position (a == !b) binds tightly; at the start of an operand of and/or it is handled by ParseNot.
        if (Current.Kind is not (TokenKind.Minus or TokenKind.Bang or TokenKind.Not)) return ParsePostfix();
        var op = Advance();
        Enter();
        var operand = ParseUnary();
        _nesting--;
        return Checked(new UnaryNode(op.Start, op.Length, op.Kind == TokenKind.Minus ? Operator.Negate : Operator.Not, operand));
    }

    private SyntaxNode ParsePostfix()
    {
        var node = ParsePrimary();
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Dot:
                    Advance();
                    if (!Current.IsWord)
                        throw ErrorAt(Current, $"expected a field name after '.', found {Describe(Current)}");
                    var name = Advance();
                    node = Checked(new MemberNode(node, name.Text!, name.Start + name.Length));
                    break;
                case TokenKind.LeftBracket:
                    Advance();
                    Enter();
                    var index = ParseConditional();
                    var close = Expect(TokenKind.RightBracket, "']'");
                    _nesting--;
                    node = Checked(new IndexNode(node, index, close.Start + 1));
                    break;
                case TokenKind.LeftParen:
                    throw ErrorAt(Current, "only the built-in functions can be called (methods and computed callees are not allowed)");
                default:
                    return node;
            }
        }
    }

    private SyntaxNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExpressionValueType.Number, token.Number);
            case TokenKind.Duration:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExpressionValueType.Duration, token.Duration);
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExpressionValueType.String, token.Text);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExpressionValueType.Boolean, token.Kind == TokenKind.True);
            case TokenKind.Null:
                Advance();
                return new LiteralNode(token.Start, token.Length, ExpressionValueType.Null, null);
            case TokenKind.Identifier:
                Advance();
                return Current.Kind == TokenKind.LeftParen ? ParseCall(token) : new IdentifierNode(token.Start, token.Length, token.Text!);
            case TokenKind.LeftParen:
                Advance();
                var inner = ParseConditional();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.LeftBracket:
                throw ErrorAt(token, "a list is only allowed after 'in', as in x in [1, 2]");
            default:
                throw ErrorAt(token, $"expected a value, found {Describe(token)}");
        }
    }

    private SyntaxNode ParseCall(Token name)
    {
        Advance(); // '('
        Enter();
        var arguments = new List<SyntaxNode>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(ParseConditional());
            while (Current.Kind == TokenKind.Comma)
            {
                Advance();
                arguments.Add(ParseConditional());
            }
        }
        var close = Expect(TokenKind.RightParen, "',' or ')'");
        _nesting--;
        return Checked(new CallNode(name.Start, name.Length, name.Text!, arguments, close.Start + 1));
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind) throw ErrorAt(Current, $"expected {what}, found {Describe(Current)}");
        return Advance();
    }

    // Recursion guard: bounded native stack no matter how the text nests.
    private void Enter()
    {
        if (++_nesting > _maxDepth)
            throw ErrorAt(Current, $"expression is nested too deeply (the limit is {_maxDepth} levels)");
    }

    // Tree-depth guard: also catches long flat chains (a + b + c + ...) that build deep trees without recursion.
    private SyntaxNode Checked(SyntaxNode node)
    {
        if (node.Depth > _maxDepth)
            throw node.Error($"expression is nested too deeply (the limit is {_maxDepth} levels)");
        return node;
    }

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "end of expression",
        TokenKind.String => "string " + _text.Substring(token.Start, Math.Min(token.Length, 40)),
        _ => "'" + _text.Substring(token.Start, Math.Min(token.Length, 40)) + "'",
    };

    private ExpressionException ErrorAt(Token token, string reason) => new(token.Start + 1, token.Length, reason);
}
