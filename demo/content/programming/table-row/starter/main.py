n, k = map(int, input().split())
for i in range(1, k + 1):
    # Напечатайте строку «n * i = ответ»
    pass
