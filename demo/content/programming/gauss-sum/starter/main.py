n = int(input())
total = 0
# Сложите все числа от 1 до n
print(total)
