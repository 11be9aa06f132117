-- The evaluation's default grade lines (issue 16): 80 / 65 / 50, so that 腾笼换鸟 (the lowest
-- grade) picks out the weakest buildings rather than half of the district.
UPDATE building_grades SET min_score = 80 WHERE grade = 'A';
UPDATE building_grades SET min_score = 65 WHERE grade = 'B';
UPDATE building_grades SET min_score = 50 WHERE grade = 'C';
